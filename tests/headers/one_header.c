/*
 * Compiled once per public header, with BO_HEADER naming it: the header must
 * stand alone (include what it needs), survive a second inclusion (guard),
 * and be clean under -std=c11 -pedantic -Werror -Wall -Wextra.
 */
#include BO_HEADER
#include BO_HEADER

int main(void)
{
    return 0;
}
