// Roles, permissions and the one table that says which role may do what.
// The table is data (kRoleTable in permissions.cpp): the HTTP route registry
// (http/routes.hpp), offline grants (service/grants.hpp) and the generated
// matrix in docs/security.md all read it; nothing else decides access.
// Deliberately no HTTP, SQL or clock here: value in, value out.
//
// Rules that are not a yes/no per role (a manager manages cashiers but not
// owners; the last active owner cannot be disabled) live in
// service/users.cpp, next to the data they need.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace salespider::auth {

// Stored lowercase in users.role. Rank order: cashier < manager < super_admin.
enum class Role { cashier, manager, super_admin };

enum class Permission {
  sell,               // ring up sales
  discount,           // give a discount, up to the role's max_discount_percent
  refund,             // refund a sale
  void_sale,          // void a sale
  shift,              // open and close a shift
  cash_in_out,        // pay-in, pay-out, drop, float top-up
  manage_products,    // create, edit, delete products and categories
  manage_prices,      // change prices and costs
  adjust_stock,       // receive, adjust, count, write off
  view_all_sales,     // every cashier's sales (without it: own sales only)
  view_own_sales,     // one's own sales
  view_dashboard,     // the store-wide dashboard
  manage_staff,       // add, edit, disable, unlock users; reset passwords; revoke sessions
  manage_settings,    // store settings
  export_data,        // CSV exports
  enrol_tills,        // enrol, rename, retire tills
  view_audit_log,     // read, verify and export the audit log
  resolve_attention,  // see and resolve ops the server rejected ("needs attention")
  open_drawer,        // open the cash drawer without a sale ("no sale"), audited
};

// Every permission, in table order (for the matrix and the RBAC test).
const std::vector<Permission>& all_permissions();
const std::vector<Role>& all_roles();

// Limits that are numbers rather than yes/no.
struct Limits {
  int max_discount_percent = 0;  // 0..100, on one sale or line
};

bool role_has(Role role, Permission permission);
Limits limits_of(Role role);
std::vector<Permission> permissions_of(Role role);

// What a PIN session (a quick switch on a till) may do: the till's own
// work (selling, discounts, refunds and voids, shifts, cash in and out,
// opening the drawer, one's own sales), never managing accounts, staff, tills or the audit log;
// whoever needs those signs in with the password.
bool allowed_in_pin_session(Permission permission);

// Rank for "may act on users of this role": a role may manage only roles
// strictly below its own, except super_admin, who may manage everyone.
int rank_of(Role role);
bool may_manage(Role actor, Role target);

// Stable wire and database names: "super_admin", "void_sale".
std::string_view to_string(Role role);
std::string_view to_string(Permission permission);
std::optional<Role> role_from_string(std::string_view name);  // also accepts "SUPER_ADMIN"
std::optional<Permission> permission_from_string(std::string_view name);

// A sentence for the docs ("ring up sales").
std::string_view describe(Permission permission);

// The role x permission matrix as a Markdown table (docs/security.md).
std::string permission_matrix_markdown();

}  // namespace salespider::auth
