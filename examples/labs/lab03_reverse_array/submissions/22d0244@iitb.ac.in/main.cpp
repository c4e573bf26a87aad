  #include <iostream>
using namespace std;

 int values[10];

int main() {
      int size;
  cin >> size;

 for (int i = 0; i < size; i++) {
 cin >> values[i];
 }

   for (int i = size - 1; i >= 0; i--) {
cout << values[i] << " ";
       }
cout << endl;
     return 0;
}
