#include <bits/stdc++.h>
using namespace std;

int main() {
    int input_number;
    // read the number
    cin >> input_number;

    string number_text = to_string(input_number);
    int sum_of_digits = 0;
    // add the value of each character of the number
    for (char ch : number_text) {
        sum_of_digits += ch - '0';
    }

    cout << sum_of_digits << endl;
    return 0;
}
