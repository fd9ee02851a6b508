// Drafts <-> JSON. See drafts.hpp.
#include "state/drafts.hpp"

#include "json/fields.hpp"

#include <salespider/shared/payloads.hpp>

#include <utility>

namespace salespider::state {

namespace {

using json = jsonio::Json;

// A draft record is a few KB; anything far bigger is not ours.
constexpr std::size_t kMaxDraftsBytes = 4 * 1024 * 1024;

json discounts_json(const std::vector<Discount>& ds) {
  json a = json::array();
  for (const Discount& d : ds) a.push_back(json{{"kind", std::string(to_string(d.kind))}, {"value", d.value}});
  return a;
}

bool decode_discounts(const json& o, const char* key, std::size_t max, std::vector<Discount>& out) {
  auto it = o.find(key);
  if (it == o.end()) return true;
  if (!it->is_array() || it->size() > max) return false;
  for (const json& d : *it) {
    if (!d.is_object()) return false;
    Result<DiscountKind> kind = parse_discount_kind(jsonio::text(d, "kind"));
    Discount discount;
    if (!kind || !jsonio::read_integer(d, "value", discount.value)) return false;
    discount.kind = kind.value();
    if (!validate(discount)) return false;
    out.push_back(discount);
  }
  return true;
}

// Lines through shared/'s codec, the one a sale payload uses.
json line_json(const CartLine& l) {
  return json::parse(encode_cart_line(l), nullptr, false);
}

bool decode_line(const json& v, CartLine& l) {
  if (!v.is_object()) return false;
  Result<CartLine> line = decode_cart_line(v.dump(-1, ' ', false, json::error_handler_t::replace));
  if (!line) return false;
  l = std::move(line).value();
  return true;
}

json approver_json(const std::optional<Approver>& a) {
  if (!a) return nullptr;
  return json{{"user_id", a->user_id},
              {"display_name", a->display_name},
              {"grant", a->grant},
              {"max_discount_percent", a->max_discount_percent},
              {"permissions", a->permissions}};
}

bool decode_approver(const json& o, std::optional<Approver>& out) {
  auto it = o.find("approver");
  if (it == o.end() || it->is_null()) return true;
  if (!it->is_object()) return false;
  Approver a;
  a.user_id = jsonio::text(*it, "user_id");
  a.display_name = jsonio::text(*it, "display_name");
  a.grant = jsonio::text(*it, "grant");
  if (a.user_id.empty() || !jsonio::read_integer(*it, "max_discount_percent", a.max_discount_percent)) return false;
  if (auto p = it->find("permissions"); p != it->end() && p->is_array())
    for (const json& v : *p)
      if (v.is_string()) a.permissions.push_back(v.get<std::string>());
  out = std::move(a);
  return true;
}

json sale_json(const std::string& sale_id, const std::vector<CartLine>& lines, const std::vector<Discount>& discounts,
               const std::optional<Approver>& approver) {
  json ls = json::array();
  for (const CartLine& l : lines) ls.push_back(line_json(l));
  return json{{"sale_id", sale_id},
              {"lines", std::move(ls)},
              {"discounts", discounts_json(discounts)},
              {"approver", approver_json(approver)}};
}

bool decode_sale(const json& v, std::string& sale_id, std::vector<CartLine>& lines, std::vector<Discount>& discounts,
                 std::optional<Approver>& approver) {
  if (!v.is_object()) return false;
  sale_id = jsonio::text(v, "sale_id");
  auto ls = v.find("lines");
  if (ls == v.end() || !ls->is_array() || ls->size() > kMaxCartLines) return false;
  for (const json& l : *ls) {
    CartLine line;
    if (!decode_line(l, line)) return false;
    lines.push_back(std::move(line));
  }
  return decode_discounts(v, "discounts", kMaxCartDiscounts, discounts) && decode_approver(v, approver);
}

}  // namespace

std::string encode_drafts(const CartState& cart, const std::vector<ParkedSale>& parked) {
  json ps = json::array();
  for (const ParkedSale& p : parked) {
    json j = sale_json(p.sale_id, p.lines, p.discounts, p.approver);
    j["parked_at_ms"] = p.parked_at_ms;
    j["cashier"] = p.cashier;
    j["total"] = p.total;
    ps.push_back(std::move(j));
  }
  return json{{"version", 1},
              {"cart", sale_json(cart.sale_id, cart.lines, cart.discounts, cart.approver)},
              {"parked", std::move(ps)}}
      .dump(-1, ' ', false, json::error_handler_t::replace);
}

Drafts decode_drafts(std::string_view text_in, std::string& error) {
  Drafts out;
  error.clear();
  if (text_in.empty()) return out;
  if (text_in.size() > kMaxDraftsBytes) {
    error = "the saved cart is too large to be ours";
    return out;
  }
  json doc = json::parse(text_in.begin(), text_in.end(), nullptr, false);
  std::int64_t version = 0;
  if (doc.is_discarded() || !doc.is_object() || !jsonio::read_integer(doc, "version", version) || version != 1) {
    error = "the saved cart is damaged or from another version";
    return out;
  }
  Drafts d;
  auto cart = doc.find("cart");
  if (cart != doc.end() &&
      !decode_sale(*cart, d.cart.sale_id, d.cart.lines, d.cart.discounts, d.cart.approver)) {
    error = "the saved cart is damaged";
    return out;
  }
  if (auto ps = doc.find("parked"); ps != doc.end() && ps->is_array()) {
    for (const json& p : *ps) {
      ParkedSale sale;
      if (!decode_sale(p, sale.sale_id, sale.lines, sale.discounts, sale.approver) || sale.sale_id.empty()) {
        error = "a parked sale is damaged";
        return out;
      }
      jsonio::read_integer(p, "parked_at_ms", sale.parked_at_ms);
      jsonio::read_integer(p, "total", sale.total);
      sale.cashier = jsonio::text(p, "cashier");
      d.parked.push_back(std::move(sale));
    }
  }
  return d;
}

}  // namespace salespider::state
