#include <iostream>
#include <string>
using namespace std;

int sum_of_digits(int value) {
    if (value < 0) {
        value = -value;
    }
    string number_text = to_string(value);
    int sum_of_digits = 0;
    for (char ch : number_text) {
        sum_of_digits += ch - '0';
    }
    return sum_of_digits;
}

int main(void) {
    int value;
    cin >> value;
    cout << sum_of_digits(value) << "\n";
    return 0;
}
