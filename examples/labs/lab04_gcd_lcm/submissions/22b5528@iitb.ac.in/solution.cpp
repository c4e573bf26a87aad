#include <iostream>
   using namespace std;

int main(void) {
int fst, snd;
   cin >> fst >> snd;
long long ab = (long long)fst * snd;
while (snd != 0) {
int tmp = fst % snd;
fst = snd;
 snd = tmp;
}
cout << fst << " " << ab / fst << endl;
return 0;
}
