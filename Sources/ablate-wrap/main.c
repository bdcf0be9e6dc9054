// ablate-wrap: runs one attempt of a job and records how it ended, even if nobody is watching.
//
//   ablate-wrap JOBDIR ATTEMPT COMMAND
//
// Writes JOBDIR/.ablate/attempts/ATTEMPT.start.json (pid, process group, host, start time), runs COMMAND
// with /bin/sh -c (stdout and stderr appended to JOBDIR/.ablate/stdout.log and .ablate/stderr.log), waits
// for it and writes JOBDIR/.ablate/attempts/ATTEMPT.exit.json with its exit code or signal and the end
// time. Ablate's own files live in JOBDIR/.ablate/, so that nothing a trainer writes into JOBDIR (a
// config.json, logs) can collide with them. Both files are
// written to a temporary name and renamed, so a reader sees all of one or nothing. The command runs in a
// process group of its own (its pid), so that SIGTERM, SIGINT, SIGHUP, SIGUSR1 and SIGUSR2 sent to the
// wrapper (by Slurm's --signal=B:..., an orchestrator, a user) reach every process of the job once, the
// trainer under `sh -c "cd ... && python ..."` included; killing the job means killing that group. The
// shell traps SIGUSR1 and SIGUSR2 with a no-op unless the command traps them itself, so that they reach
// the trainer's handler without killing the shell in between.
// Exits with the command's exit code, or 128 + the signal that killed it.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile pid_t child = 0;

static void forward(int signal_number) {
    if (child > 0) kill(-child, signal_number);
}

static double now(void) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

static int write_atomically(const char *path, const char *text) {
    char temporary[4096];
    snprintf(temporary, sizeof temporary, "%s.tmp.%d", path, (int)getpid());
    int fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) return -1;
    size_t length = strlen(text);
    ssize_t written = write(fd, text, length);
    fsync(fd);
    close(fd);
    if (written != (ssize_t)length) return -1;
    return rename(temporary, path);
}

static void json_escape(const char *in, char *out, size_t size) {
    size_t j = 0;
    for (size_t i = 0; in[i] && j + 7 < size; i++) {
        unsigned char c = (unsigned char)in[i];
        if (c == '"' || c == '\\') { out[j++] = '\\'; out[j++] = (char)c; }
        else if (c < 0x20) { j += (size_t)snprintf(out + j, size - j, "\\u%04x", c); }
        else out[j++] = (char)c;
    }
    out[j] = 0;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: ablate-wrap JOBDIR ATTEMPT COMMAND\n");
        return 2;
    }
    const char *directory = argv[1];
    int attempt = atoi(argv[2]);
    const char *command = argv[3];

    char path[4096], text[8192], host[256] = "unknown", escaped[1024], control[4096];
    snprintf(control, sizeof control, "%s/.ablate", directory);
    mkdir(control, 0755);
    snprintf(path, sizeof path, "%s/attempts", control);
    mkdir(path, 0755);
    gethostname(host, sizeof host - 1);
    json_escape(host, escaped, sizeof escaped);

    char out_path[4096], err_path[4096];
    snprintf(out_path, sizeof out_path, "%s/stdout.log", control);
    snprintf(err_path, sizeof err_path, "%s/stderr.log", control);
    int out = open(out_path, O_WRONLY | O_CREAT | O_APPEND, 0644);
    int err = open(err_path, O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (out < 0 || err < 0) {
        perror("ablate-wrap: cannot open the job's log files");
        return 125;
    }

    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = forward;
    sigemptyset(&action.sa_mask);
    int forwarded[] = {SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2};
    for (size_t i = 0; i < sizeof forwarded / sizeof forwarded[0]; i++) sigaction(forwarded[i], &action, NULL);
    sigset_t empty;
    sigemptyset(&empty);
    sigprocmask(SIG_SETMASK, &empty, NULL);

    double started = now();
    pid_t pid = fork();
    if (pid < 0) {
        perror("ablate-wrap: fork");
        return 125;
    }
    if (pid == 0) {
        setpgid(0, 0);
        struct sigaction defaults;
        memset(&defaults, 0, sizeof defaults);
        defaults.sa_handler = SIG_DFL;
        for (size_t i = 0; i < sizeof forwarded / sizeof forwarded[0]; i++) sigaction(forwarded[i], &defaults, NULL);
        dup2(out, STDOUT_FILENO);
        dup2(err, STDERR_FILENO);
        int null = open("/dev/null", O_RDONLY);
        if (null >= 0) dup2(null, STDIN_FILENO);
        // SIGUSR1 and SIGUSR2 mean "checkpoint now" and reach every process of the job. The shell that
        // runs the command traps them with a no-op (the command may set its own trap), so that it does
        // not die of them; a trap, unlike an ignored signal, is reset in the programs the shell starts,
        // so a trainer or a nested shell script can still handle them.
        size_t length = strlen(command) + 64;
        char *script = malloc(length);
        if (!script) _exit(125);
        snprintf(script, length, "trap : USR1 USR2\n%s", command);
        execl("/bin/sh", "sh", "-c", script, (char *)NULL);
        perror("ablate-wrap: exec /bin/sh");
        _exit(127);
    }
    setpgid(pid, pid);  // also here, so that no signal can arrive before the group exists
    child = pid;

    snprintf(path, sizeof path, "%s/attempts/%d.start.json", control, attempt);
    snprintf(text, sizeof text,
             "{\"attempt\": %d, \"wrapper_pid\": %d, \"pid\": %d, \"pgid\": %d, \"host\": \"%s\", \"started_at\": %.6f}\n",
             attempt, (int)getpid(), (int)pid, (int)getpgrp(), escaped, started);
    write_atomically(path, text);

    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            perror("ablate-wrap: waitpid");
            return 125;
        }
    }
    double ended = now();
    snprintf(path, sizeof path, "%s/attempts/%d.exit.json", control, attempt);
    int code;
    if (WIFSIGNALED(status)) {
        snprintf(text, sizeof text, "{\"attempt\": %d, \"signal\": %d, \"ended_at\": %.6f}\n", attempt,
                 WTERMSIG(status), ended);
        code = 128 + WTERMSIG(status);
    } else {
        snprintf(text, sizeof text, "{\"attempt\": %d, \"exit_code\": %d, \"ended_at\": %.6f}\n", attempt,
                 WEXITSTATUS(status), ended);
        code = WEXITSTATUS(status);
    }
    if (write_atomically(path, text) != 0) {
        perror("ablate-wrap: cannot write the exit status");
        return 125;
    }
    return code;
}
