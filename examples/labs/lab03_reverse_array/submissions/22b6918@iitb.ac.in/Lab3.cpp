 #include <bits/stdc++.h>

int main() {
int length;
std::cout << "Enter size: ";
 std::cin >> length;
int values[1001];

for (int i = 0; i < length; i++) {
std::cin >> values[i];
}

int i = length - 1;
while (i > 0) {
std::cout << values[i] << " ";
i--;
   }
   std::cout << "\n";
return 0;
}
