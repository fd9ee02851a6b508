// Reading request fields and writing the auth features' JSON answers, shared
// by routes_auth*.cpp. A reader that fails has already answered 400.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "http/routes.hpp"
#include "service/auth.hpp"
#include "service/till_auth.hpp"
#include "service/users.hpp"

namespace salespider::http {

// Required string field.
bool read_string(Context& ctx, const nlohmann::json& body, const char* name, std::string& out);
// Optional string field: absent leaves `out` empty; null counts as absent.
bool read_optional(Context& ctx, const nlohmann::json& body, const char* name,
                   std::optional<std::string>& out);
// Optional string-or-null field: absent -> nullopt; null -> optional(nullopt).
bool read_nullable(Context& ctx, const nlohmann::json& body, const char* name,
                   std::optional<std::optional<std::string>>& out);
bool read_role(Context& ctx, const nlohmann::json& body, const char* name, auth::Role& out);

nlohmann::json user_json(const service::UserView& u);
nlohmann::json principal_json(const auth::UserPrincipal& p);
// Adds "language" (the person's own, or null) and "store_language" to a
// "who am I" answer (routes_language.cpp).
void add_language_fields(nlohmann::json& out, service::Services& s, const auth::UserPrincipal& me);
nlohmann::json session_json(const service::SessionInfo& s);
nlohmann::json till_json(const service::TillInfo& t);

// Answers 200 {"ok":true} or the failure.
void answer(Context& ctx, const service::Completion& c);

}  // namespace salespider::http
