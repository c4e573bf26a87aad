#include <iostream>
using namespace std;

int computeGcd(int first, int second)
{
    while (second != 0)
    {
        int remainder = first % second;
        first = second;
        second = remainder;
    }
    return first;
}

int main()
{
    int first, second;
    cin >> first >> second;
    int commonDivisor = computeGcd(first, second);
    int multiple = first / commonDivisor * second;
    cout << commonDivisor << " " << multiple << endl;
    return 0;
}
