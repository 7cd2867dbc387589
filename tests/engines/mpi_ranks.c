/* A small MPI program for the executor tests.
 *   mpi_ranks                 each rank prints "rank R of N on HOST", then all meet at a barrier
 *   mpi_ranks --fail R        rank R exits with code 3 right after start-up
 *   mpi_ranks --hang DIR      each rank writes DIR/rank-R.pid, prints "rank R ready" and waits to be signalled
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    int rank, size, fail = -1;
    const char *hang = NULL;
    char host[256] = "?";

    for (int i = 1; i + 1 < argc; i++) {
        if (strcmp(argv[i], "--fail") == 0) fail = atoi(argv[++i]);
        else if (strcmp(argv[i], "--hang") == 0) hang = argv[++i];
    }

    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    gethostname(host, sizeof host - 1);

    if (rank == fail) {
        fprintf(stderr, "rank %d fails on purpose\n", rank);
        fflush(stderr);
        exit(3);
    }

    if (hang != NULL) {
        char path[4096];
        snprintf(path, sizeof path, "%s/rank-%d.pid", hang, rank);
        FILE *file = fopen(path, "w");
        if (file == NULL) { perror(path); return 2; }
        fprintf(file, "%d\n", (int)getpid());
        fclose(file);
        printf("rank %d ready\n", rank);
        fflush(stdout);
        for (;;) pause();
    }

    printf("rank %d of %d on %s\n", rank, size, host);
    fflush(stdout);
    MPI_Barrier(MPI_COMM_WORLD);
    MPI_Finalize();
    return 0;
}
