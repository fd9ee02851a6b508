// The permission table. See permissions.hpp.
#include "auth/permissions.hpp"

#include "salespider/shared/i18n.hpp"

#include <array>
#include <cassert>
#include <cctype>

namespace salespider::auth {

using i18n::N_;  // the descriptions are catalogue entries: http/ shows them in the reader's language
namespace {

struct PermissionRow {
  Permission permission;
  std::string_view name;
  std::string_view description;
  bool cashier;
  bool manager;
  bool super_admin;
};

// THE table. Changing a cell here changes the server's answers, the offline
// grants issued from then on and the generated matrix in docs/security.md
// (tests/server/rbac_test.cpp fails until the document is regenerated).
constexpr std::array<PermissionRow, 19> kTable{{
    //  permission                      name                 description cashier manager owner
    {Permission::sell, "sell", N_("ring up sales"), true, true, true},
    {Permission::discount, "discount", N_("give discounts, up to the role's limit"), true, true, true},
    {Permission::refund, "refund", N_("refund a sale"), false, true, true},
    {Permission::void_sale, "void_sale", N_("void a sale"), false, true, true},
    {Permission::shift, "shift", N_("open and close a shift"), true, true, true},
    {Permission::cash_in_out, "cash_in_out", N_("pay cash in or out of the drawer"), true, true, true},
    {Permission::manage_products, "manage_products", N_("create, edit and delete products and categories"), false,
     true, true},
    {Permission::manage_prices, "manage_prices", N_("change prices and costs"), false, true, true},
    {Permission::adjust_stock, "adjust_stock", N_("receive, adjust, count and write off stock"), false, true,
     true},
    {Permission::view_all_sales, "view_all_sales", N_("see every cashier's sales"), false, true, true},
    {Permission::view_own_sales, "view_own_sales", N_("see one's own sales"), true, true, true},
    {Permission::view_dashboard, "view_dashboard", N_("see the store dashboard"), false, true, true},
    {Permission::manage_staff, "manage_staff",
     N_("add, edit, disable and unlock staff; reset passwords; end sessions"), false, true, true},
    {Permission::manage_settings, "manage_settings", N_("change store settings"), false, false, true},
    {Permission::export_data, "export_data", N_("export CSV files"), false, true, true},
    {Permission::enrol_tills, "enrol_tills", N_("enrol, rename and retire tills"), false, true, true},
    {Permission::view_audit_log, "view_audit_log", N_("read, verify and export the audit log"), false, true,
     true},
    {Permission::resolve_attention, "resolve_attention", N_("see and resolve ops the server set aside"), false,
     true, true},
    {Permission::open_drawer, "open_drawer", N_("open the cash drawer without a sale"), false, true, true},
}};

// Largest discount, in percent of a sale or line, each role may give.
constexpr Limits kCashierLimits{10};
constexpr Limits kManagerLimits{50};
constexpr Limits kOwnerLimits{100};

const PermissionRow& row_of(Permission p) {
  for (const auto& row : kTable) {
    if (row.permission == p) return row;
  }
  assert(false && "permission missing from kTable");
  return kTable[0];
}

std::string upper_to_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

const std::vector<Permission>& all_permissions() {
  static const std::vector<Permission> all = [] {
    std::vector<Permission> v;
    for (const auto& row : kTable) v.push_back(row.permission);
    return v;
  }();
  return all;
}

const std::vector<Role>& all_roles() {
  static const std::vector<Role> roles{Role::cashier, Role::manager, Role::super_admin};
  return roles;
}

bool role_has(Role role, Permission permission) {
  const auto& row = row_of(permission);
  switch (role) {
    case Role::cashier:
      return row.cashier;
    case Role::manager:
      return row.manager;
    case Role::super_admin:
      return row.super_admin;
  }
  return false;
}

Limits limits_of(Role role) {
  switch (role) {
    case Role::cashier:
      return kCashierLimits;
    case Role::manager:
      return kManagerLimits;
    case Role::super_admin:
      return kOwnerLimits;
  }
  return kCashierLimits;
}

std::vector<Permission> permissions_of(Role role) {
  std::vector<Permission> out;
  for (const auto& row : kTable) {
    if (role_has(role, row.permission)) out.push_back(row.permission);
  }
  return out;
}

int rank_of(Role role) {
  switch (role) {
    case Role::cashier:
      return 1;
    case Role::manager:
      return 2;
    case Role::super_admin:
      return 3;
  }
  return 0;
}

bool allowed_in_pin_session(Permission p) {
  switch (p) {
    case Permission::sell:
    case Permission::discount:
    case Permission::refund:
    case Permission::void_sale:
    case Permission::shift:
    case Permission::cash_in_out:
    case Permission::view_own_sales:
    case Permission::open_drawer:
      return true;
    default:
      return false;
  }
}

bool may_manage(Role actor, Role target) {
  return actor == Role::super_admin || rank_of(actor) > rank_of(target);
}

std::string_view to_string(Role role) {
  switch (role) {
    case Role::cashier:
      return "cashier";
    case Role::manager:
      return "manager";
    case Role::super_admin:
      return "super_admin";
  }
  return "cashier";
}

std::string_view to_string(Permission permission) {
  return row_of(permission).name;
}

std::string_view describe(Permission permission) {
  return row_of(permission).description;
}

std::optional<Role> role_from_string(std::string_view name) {
  const auto lower = upper_to_lower(name);
  for (auto r : all_roles()) {
    if (to_string(r) == lower) return r;
  }
  if (lower == "owner") return Role::super_admin;
  return std::nullopt;
}

std::optional<Permission> permission_from_string(std::string_view name) {
  for (const auto& row : kTable) {
    if (row.name == name) return row.permission;
  }
  return std::nullopt;
}

std::string permission_matrix_markdown() {
  std::string out = "| permission | what it allows | cashier | manager | super_admin (owner) |\n";
  out += "| --- | --- | --- | --- | --- |\n";
  for (const auto& row : kTable) {
    out += "| `" + std::string(row.name) + "` | " + std::string(row.description) + " | " +
           (row.cashier ? "yes" : "–") + " | " + (row.manager ? "yes" : "–") + " | " +
           (row.super_admin ? "yes" : "–") + " |\n";
  }
  out += "| max discount | limit carried in offline grants | " +
         std::to_string(kCashierLimits.max_discount_percent) + "% | " +
         std::to_string(kManagerLimits.max_discount_percent) + "% | " +
         std::to_string(kOwnerLimits.max_discount_percent) + "% |\n";
  return out;
}

}  // namespace salespider::auth
