// The languages people read the till in: a person's own choice
// (users.language, NULL = the store's default) and the store's default.
// A language is valid when the message catalogue has it
// (i18n::has_language); anything else is refused with 422 naming "language".
// Deliberately not here: which language a request's error messages use
// (http/, from Accept-Language).
#pragma once

#include <optional>
#include <string>

#include "auth/principal.hpp"
#include "service/auth_outcome.hpp"

namespace salespider::db {
class Pool;
}

namespace salespider::service {

class LanguageService {
 public:
  explicit LanguageService(db::Pool& pool) : pool_(pool) {}

  // The person's own language, or nullopt (the store's default).
  std::optional<std::string> own_language(const auth::UserPrincipal& me);
  // The store's default UI language: the one place it is read, so the store
  // settings' "language" plugs in here.
  std::string store_language(const std::string& store_id);
  // Sets (or with nullopt clears) the signed-in person's language; audited "user.language".
  Completion set_own_language(const auth::UserPrincipal& me, const std::optional<std::string>& language,
                              const auth::Actor& actor);

 private:
  db::Pool& pool_;
};

}  // namespace salespider::service
