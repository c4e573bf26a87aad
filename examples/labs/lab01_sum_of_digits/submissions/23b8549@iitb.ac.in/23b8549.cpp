 #include <iostream>
 #include <string>
using namespace std;

int main() {
     int num;
  cin >> num;
  if (num < 0) {
   num = -num;
}
string str = to_string(num);
     int tot = 0;
   for (int i = 0; i < (int)str.size(); i++) {
            tot += str[i] - '0';
 }
 cout << tot << endl;
   return 0;
}
