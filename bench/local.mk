# bench/local.mk -- benchmark scripts (run by hand, never by make check).
# make bench: the sandbox's cost (bench/sandbox.sh, needs hyperfine) and
# the file tools on a 100 KB file (bench/tools_bench); see bench/README.md.
EXTRA_PROGRAMS = bench/tools_bench
bench_tools_bench_LDADD = $(PH_LIBS)
CLEANFILES += bench/tools_bench
EXTRA_DIST += bench/sandbox.sh bench/README.md
bench: pilothouse$(EXEEXT) bench/tools_bench$(EXEEXT)
	PILOTHOUSE=./pilothouse $(SHELL) $(srcdir)/bench/sandbox.sh
	bench/tools_bench
.PHONY: bench
