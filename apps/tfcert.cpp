// tfcert command-line entry point.
#include <cstdio>
int main(int argc, char** argv) {
    std::fprintf(stderr, "usage: tfcert train fashion-mnist [--epochs N]\n");
    return argc > 1 ? 0 : 2;
}
