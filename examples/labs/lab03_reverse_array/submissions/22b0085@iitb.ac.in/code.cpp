#include <iostream>
#include <vector>
using namespace std;

int main() {
    int count;
    cin >> count;
    vector<int> elements(count);

    for (int i = 0; i < count; i++) {
        cin >> elements[i];
    }

    int i = count - 1;
    while (i >= 0) {
        cout << elements[i] << " ";
        i--;
    }
    cout << "\n";
    return 0;
}
