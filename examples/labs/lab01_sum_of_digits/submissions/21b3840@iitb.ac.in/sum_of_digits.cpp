#include <iostream>
#include <string>
using namespace std;

int main() {
    int a;
    cin >> a;

    string q = to_string(a);
    int s1 = 0;
    for (int i = 0; i < (int)q.size(); i++) {
        s1 += q[i] - '0';
    }

    cout << s1 << "\n";
    return 0;
}
