#include <iostream>
using namespace std;

void printAnswer(int first, int second) {
int limit = first < second ? first : second;
int divisor = 1;
for (int i = 1; i <= limit; i++) {
if (first % i == 0 && second % i == 0) divisor = i;
}
long long multiple = (long long)first * second / divisor;
cout << divisor << " " << multiple << endl;
}

int main() {
int first, second;
cin >> first >> second;

printAnswer(first, second);
return 0;
  }
