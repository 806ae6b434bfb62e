/*
 * empty: the floor of "make bench", a process that does nothing, linked
 * with the libraries ptvm is linked with (tests/tools/benchrun.c).
 */
int	main(void);

int
main(void)
{

	return (0);
}
