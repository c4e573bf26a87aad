#include <iostream>
 using namespace std;

int main(void) {
  int fst, snd;
  cin >> fst >> snd;
    long long ab = (long long)fst * snd;
 while (snd != 0) {
          int rem = fst % snd;
         fst = snd;
   snd = rem;
   }
    cout << fst << " " << ab / fst << endl;
     return 0;
 }
