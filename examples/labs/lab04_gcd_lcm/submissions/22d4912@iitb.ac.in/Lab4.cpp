#include <iostream>
using namespace std;

int find_gcd(int first_number, int second_number)
{
    if (second_number == 0) return first_number;
    return find_gcd(second_number, first_number % second_number);
}

int main()
{
    int first_number, second_number;
    cin >> first_number >> second_number;
    int divisor = find_gcd(first_number, second_number);
    long long common_multiple = (long long)first_number * second_number / divisor;
    cout << divisor << " " << common_multiple << endl;
    return 0;
}
