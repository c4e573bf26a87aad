#include <iostream>
using namespace std;

int main() {
    int n;
    cin >> n;
    int v[10];

    // read the elements
    for (int i = 0; i < n; i++) {
        cin >> v[i];
    }

    // print from the last element to the first
    for (int i = n; i >= 0; i--) {
        cout << v[i] << " ";
    }
    cout << endl;
    return 0;
}
