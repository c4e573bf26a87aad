#include <iostream>
using namespace std;

  int calc(int fst, int snd) {
   int lim = fst < snd ? fst : snd;
     int hcf = 1;
 for (int i = lim; i >= 1; i--) {
     if (fst % i == 0 && snd % i == 0) {
                 hcf = i;
break;
         }
     }
    return hcf;
}

int main(void) {
int fst, snd;
  cin >> fst >> snd;

  int hcf = calc(fst, snd);
 long long lm = (long long)fst * snd / hcf;
   cout << hcf << " " << lm << endl;
return 0;
}
