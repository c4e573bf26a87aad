#include <cstdio>
using namespace std;

bool checkPrime(int candidate) {
  for (int i = 2; i * i < candidate; i++) {
    if (candidate % i == 0) return false;
  }
  return true;
}

int main() {
  int candidate;
  scanf("%d", &candidate);
  if (checkPrime(candidate)) {
    printf("YES\n");
  } else {
    printf("NO\n");
  }
  return 0;
}
