#include <iostream>
using namespace std;

int main()
{
    int x;
    // read the number
    cin >> x;

    // add the last digit and the rest of the number
    int y = x % 10 + x / 10;

    cout << y << "\n";
    return 0;
}
