#include <iostream>
using namespace std;

int findGcd(int first, int second) {
    if (second == 0) return first;
    return findGcd(second, first % second);
}

int main() {
    int first, second;
    cin >> first >> second;

    int gcdValue = findGcd(first, second);
    long long commonMultiple = 1LL * first / gcdValue * second;
    cout << gcdValue << " " << commonMultiple << "\n";
    return 0;
}
