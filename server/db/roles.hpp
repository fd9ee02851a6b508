// The two database roles (docs/security.md "The database roles"): the owner
// owns the schema and runs migrations; the application role, which the
// server's pool and the admin CLI's services use, gets exactly the rights
// the running server needs and nothing that touches the server's files or
// programs.
//
// [x] ensure_app_role: create the role or correct its attributes
//     (NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS, not a
//     member of pg_read/write_server_files or pg_execute_server_program)
// [x] grant_app_role: DML on every table of the schema, sequences, the
//     sealing function; audit_log INSERT/SELECT only, schema_migrations
//     SELECT only; default privileges for tables later migrations add.
//     Run after every migrate(), so new tables work without knowing of roles.
// [x] role_facts: whether a connection's role is a superuser (the server
//     warns loudly when DATABASE_URL names one)
// [ ] a separate application role for DATABASE_URL (the operator's server):
//     the URL's role is used for both; see the docs
#pragma once

#include <string>

#include "db/migrations.hpp"

namespace salespider::db {

class Pool;

// The embedded cluster's application role.
inline constexpr const char* kAppRole = "salespider_app";

// Creates `role` (LOGIN, no password: the embedded cluster only has a unix
// socket in a directory only its OS user and root can enter) or takes away
// any power it should not have. `owner` must be a superuser or CREATEROLE.
void ensure_app_role(Pool& owner, const std::string& role);

// Brings `role`'s grants on `schema` ("" = the owner's current schema) up
// to date. Idempotent; run as the owner after migrate().
void grant_app_role(Pool& owner, const std::string& role, const std::string& schema);

// What `serve` and the admin CLI do on the embedded cluster before opening
// the application pool: migrate as the owner over a short-lived connection,
// then ensure_app_role and grant_app_role. Throws like migrate().
MigrateReport migrate_as_owner(const std::string& owner_conninfo, const std::string& schema,
                               const std::string& app_role);

struct RoleFacts {
  std::string name;
  bool superuser = false;
  bool create_role = false;
};
// The role a connection of `pool` acts as. Throws Unavailable.
RoleFacts role_facts(Pool& pool);

}  // namespace salespider::db
