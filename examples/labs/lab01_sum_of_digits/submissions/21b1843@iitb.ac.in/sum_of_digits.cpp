#include <iostream>
using namespace std;

int main()
{
    int num;
    // read the number
    cin >> num;
    // add the last digit and the rest of the number
    int res = num % 10 + (num / 10) % 10 + num / 100;
    cout << res << endl;
    return 0;
}
