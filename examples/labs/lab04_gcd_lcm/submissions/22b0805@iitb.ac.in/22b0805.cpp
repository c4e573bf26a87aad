#include <bits/stdc++.h>
using namespace std;

int findGcd(int valueA, int valueB)
{
    return valueB == 0 ? valueA : findGcd(valueB, valueA % valueB);
}

int main()
{
    int valueA, valueB;
    cin >> valueA >> valueB;

    int divisor = findGcd(valueA, valueB);
    long long multiple = valueA / divisor * (long long)valueB;
    cout << divisor << " " << multiple << endl;
    return 0;
}
