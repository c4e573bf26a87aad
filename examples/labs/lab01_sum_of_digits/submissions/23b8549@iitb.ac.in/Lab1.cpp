#include <iostream>
#include <string>
using namespace std;

int main() {
    int val;
    // read the number
    cin >> val;
    // a negative number has the same digits as its absolute value
    if (val < 0) {
        val = -val;
    }

    string st = to_string(val);
    int tot = 0;
    // add the value of each character of the number
    for (int i = 0; i < (int)st.size(); i++) {
        tot += st[i] - '0';
    }

    cout << tot << endl;
    return 0;
}
