#include <cstdio>
using namespace std;

void printAnswer(int firstNumber, int secondNumber) {
    int smaller = firstNumber < secondNumber ? firstNumber : secondNumber;
    int commonDivisor = 1;
    for (int i = smaller; i >= 1; i--) {
        if (firstNumber % i == 0 && secondNumber % i == 0) {
            commonDivisor = i;
            break;
        }
    }
    long long multiple = 1LL * firstNumber / commonDivisor * secondNumber;
    printf("%d %lld\n", commonDivisor, multiple);
}

int main() {
    int firstNumber, secondNumber;
    scanf("%d %d", &firstNumber, &secondNumber);

    printAnswer(firstNumber, secondNumber);
    return 0;
}
