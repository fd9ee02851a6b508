// See languages.hpp.
#include "service/languages.hpp"

#include <salespider/shared/i18n.hpp>

#include "db/user_language.hpp"
#include "service/audit_entry.hpp"

namespace salespider::service {

std::optional<std::string> LanguageService::own_language(const auth::UserPrincipal& me) {
  return db::user_language(pool_, me.store_id, me.user_id).language;
}

std::string LanguageService::store_language(const std::string& store_id) {
  return db::store_language(pool_, store_id);
}

Completion LanguageService::set_own_language(const auth::UserPrincipal& me, const std::optional<std::string>& language,
                                             const auth::Actor& actor) {
  if (language && !i18n::has_language(*language)) {
    return fail(Problem::invalid, "language {language} is not one of the till's languages", "language",
                {{"language", *language}});
  }
  if (!db::set_user_language(pool_, me.store_id, me.user_id, language,
                             audit_entry(me.store_id, actor, "user.language"))) {
    return fail(Problem::not_found, "user not found");
  }
  return Done{};
}

}  // namespace salespider::service
