// Starting PostgreSQL's programs (initdb, postgres) as child processes, as
// the `postgres` system user when we run as root (PostgreSQL refuses root).
// Everything the child needs is prepared before fork(); after fork the child
// calls only async-signal-safe functions, since the server is multithreaded.
// Deliberately not a general process library: no pipes, no shell.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace salespider::db {

// Who PostgreSQL's processes run as.
struct RunAs {
  bool switch_user = false;  // true when we are root
  uid_t uid = 0;
  gid_t gid = 0;
  std::string name;
};

// Ourselves, or the `postgres` user when we are root (EmbeddedError if that
// user does not exist).
RunAs postgres_identity();

struct SpawnOptions {
  std::vector<std::string> argv;  // argv[0] is the program's absolute path
  RunAs as;
  int output_fd = -1;               // stdout and stderr go here (-1: /dev/null)
  bool new_session = false;         // setsid(): Ctrl-C in our terminal does not reach it
  int parent_death_signal = 0;      // sent to the child if the forking thread dies
  std::filesystem::path cwd = "/";  // a directory the child can enter
};

// Starts the program; returns its pid. Throws EmbeddedError when fork fails.
// If exec fails the child exits with status 127.
pid_t spawn(const SpawnOptions& options);

// spawn() and wait: the exit status, or 128 + signal number.
int run(const SpawnOptions& options);

// Whether `as` may access `path` with `mode` (R_OK|W_OK|X_OK), checked by a
// child process that really is that user (permissions of every parent count).
bool can_access_as(const RunAs& as, const std::filesystem::path& path, int mode);

// chown to `as` when switching users; a no-op otherwise. Throws on failure.
void give_to(const RunAs& as, const std::filesystem::path& path);

// exit status of a waitpid() status word: code, or 128 + signal.
int decode_wait_status(int status);

}  // namespace salespider::db
