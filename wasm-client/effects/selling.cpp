// Selling effects: barcode lookups and product search in the local
// catalog, the catalog's categories and glyphs, and recording a sale, a
// void of a parked sale and a refund. See selling.hpp.
#include "effects/selling.hpp"

#include <salespider/shared/i18n.hpp>

#include "effects/printing.hpp"
#include "platform/page.hpp"
#include "platform/platform.hpp"
#include "platform/storage.hpp"
#include "store/catalog.hpp"

#include <salespider/shared/payloads.hpp>
#include <salespider/shared/payment.hpp>

#include <algorithm>
#include <utility>

namespace salespider::effects {

namespace {

// Product tiles per page of the grid.
constexpr int kTilesPerPage = 48;
// Categories, glyphs and the tiles are refreshed at most this often while a
// pull keeps changing the catalog.
constexpr double kCatalogRefreshMs = 1000.0;

state::ProductSnapshot snapshot(const store::CatalogProduct& p, std::string barcode) {
  state::ProductSnapshot s;
  s.id = p.id;
  s.name = p.name;
  s.barcode = std::move(barcode);
  s.unit_price = p.price_minor;
  s.unit = p.unit == "weighed" ? UnitKind::weighed : UnitKind::each;
  s.tax.code = p.tax_code.empty() ? "NONE" : p.tax_code;
  s.tax.rate_ppm = p.tax_rate_ppm;
  if (Result<TaxKind> k = parse_tax_kind(p.tax_kind))
    s.tax.kind = k.value();
  else
    s.tax.kind = p.tax_rate_ppm == 0 ? TaxKind::zero : TaxKind::standard;
  s.currency = p.currency;
  s.category_id = p.category_id;
  if (p.track_stock) s.on_hand_milli = p.on_hand_milli;
  return s;
}

std::optional<Approval> approval_of(const std::optional<state::Approver>& a) {
  if (!a) return std::nullopt;
  return Approval{a->user_id, a->grant};
}

}  // namespace

void Selling::issue_sale_id(const state::AppState& s) {
  if (s.cart.sale_id.empty() && !s.cart.lines.empty())
    ctx_.app.apply(state::SaleIdIssued{ctx_.ids.next().to_string()});
}

void Selling::settle_restored_cart(const state::AppState& s) {
  store::Store* st = ctx_.store();
  if (!st || s.cart.sale_id.empty() || !st->has_op(s.cart.sale_id)) return;
  const std::string sale_id = s.cart.sale_id;
  ctx_.app.apply(state::CartAlreadyRecorded{sale_id, st->recorded_receipt(sale_id)});
}

void Selling::scan(const std::string& code) {
  store::Store* s = ctx_.store();
  if (!s) {
    ctx_.app.apply(
        state::ProductNotFound{code, i18n::tr("The local store is not open: nothing can be sold on this tab.")});
    return;
  }
  auto p = store::find_product_by_barcode(s->db(), code);
  std::string barcode = code;
  if (p && !p.value()) {
    p = store::find_product_by_sku(s->db(), code);
    barcode.clear();
  }
  if (!p) {
    ctx_.app.apply(state::ProductNotFound{
        code, i18n::trf("Looking up {code} failed: {problem}", {{"code", code}, {"problem", p.error().context}})});
    return;
  }
  if (!p.value()) {
    ctx_.app.apply(state::ProductNotFound{code, ""});
    return;
  }
  const store::CatalogProduct& product = *p.value();
  if (!product.is_active) {
    ctx_.app.apply(state::ProductNotFound{code, i18n::trf("{product} is not for sale (inactive).", {{"product", product.name}})});
    return;
  }
  ctx_.app.apply(state::ProductFound{snapshot(product, std::move(barcode))});
}

void Selling::search(std::string text, std::string category_id, std::size_t offset) {
  store::Store* st = ctx_.store();
  if (!st) return;
  store::ProductQuery q;
  q.text = text;
  q.category_id = category_id;
  // One more than a page tells whether another page exists.
  q.limit = kTilesPerPage + 1;
  q.offset = static_cast<int>(std::min<std::size_t>(offset, 1'000'000));
  auto found = store::search_products(st->db(), q);
  state::SearchResults r;
  r.text = std::move(text);
  r.category_id = std::move(category_id);
  r.append = offset > 0;
  if (found) {
    for (const store::CatalogProduct& p : found.value()) {
      if (!p.is_active) continue;
      if (r.products.size() == static_cast<std::size_t>(kTilesPerPage)) {
        r.more = true;
        break;
      }
      r.products.push_back(snapshot(p, p.barcode));
    }
  } else {
    r.error = i18n::trf("Searching the products on this till failed: {problem}", {{"problem", found.error().context}});
  }
  ctx_.app.apply(std::move(r));
}

void Selling::publish_catalog(bool force) {
  store::Store* st = ctx_.store();
  if (!st) return;
  const double now = platform::storage::monotonic_ms();
  if (!force && now - last_catalog_publish_ms_ < kCatalogRefreshMs) return;
  last_catalog_publish_ms_ = now;
  if (auto cats = store::list_categories(st->db())) {
    std::vector<state::Category> out;
    for (const store::CatalogCategory& c : cats.value()) out.push_back(state::Category{c.id, c.name});
    if (out.size() != ctx_.app.state().browse.categories.size() ||
        !std::equal(out.begin(), out.end(), ctx_.app.state().browse.categories.begin(),
                    [](const state::Category& a, const state::Category& b) {
                      return a.id == b.id && a.name == b.name;
                    }))
      ctx_.app.apply(state::CategoriesChanged{std::move(out)});
  }
  if (auto glyphs = store::catalog_glyphs(st->db()); glyphs && glyphs.value().size() != glyph_count_) {
    glyph_count_ = glyphs.value().size();
    ctx_.app.set_catalog_glyphs(std::move(glyphs).value());
  }
  // New or changed products show up in the grid without retyping.
  const state::Browse& b = ctx_.app.state().browse;
  search(b.text, b.category_id, 0);
}

void Selling::record_void(const state::PendingVoid& v, const state::AppState& s, const std::string& op_id) {
  VoidPayload payload;
  payload.sale_id = v.sale_id;
  payload.reason = v.reason;
  payload.approval = approval_of(v.approver);
  Result<std::string> json = encode_void_payload(payload);
  if (!json) {
    ctx_.app.apply(
        state::ParkedVoided{v.sale_id, i18n::trf("The void could not be written down: {problem}", {{"problem", json.error().context}})});
    return;
  }
  const std::string sale_id = v.sale_id;
  store::Status st = recorder_.record(
      OpKind::void_sale, std::move(json).value(), s, [this, sale_id](const store::Status& status) {
        ctx_.app.apply(state::ParkedVoided{sale_id, status ? std::string()
                                                           : i18n::trf("The void could not be stored ({problem}): the sale stays parked.",
                                                                       {{"problem", status.error().context}})});
      },
      OpRecorder::Options{false, 0, op_id});
  if (!st)
    ctx_.app.apply(state::ParkedVoided{sale_id, i18n::trf("The void could not be recorded: {problem}", {{"problem", st.error().context}})});
}

void Selling::complete_sale(const state::AppState& s) {
  store::Store* st = ctx_.store();
  if (!st || !ctx_.identity || !s.user || !ctx_.session) {
    ctx_.app.apply(state::SaleFailed{i18n::tr("Nobody is signed in on an enrolled till: the sale was not recorded.")});
    return;
  }
  const Cart cart = state::cart_of(s);
  Result<Sale> sale = compute_sale(cart);
  if (!sale) {
    ctx_.app.apply(state::SaleFailed{i18n::trf("The cart does not add up: {problem}", {{"problem", sale.error().context}})});
    return;
  }
  const std::int64_t total = sale.value().totals.total;
  const std::vector<Payment> payments = s.pay.payments;
  Result<Settlement> settled = settle(total, payments, state::tender_settings(s.store));
  if (!settled || !settled.value().complete) {
    ctx_.app.apply(state::SaleFailed{settled ? i18n::tr("The payments do not cover the total.")
                                             : i18n::trf("The payment does not settle: {problem}", {{"problem", settled.error().context}})});
    return;
  }
  const std::int64_t seq = st->next_receipt_sequence();
  Result<std::string> receipt = format_receipt_number(ReceiptNumber{ctx_.identity->code, seq});
  if (!receipt) {
    ctx_.app.apply(state::SaleFailed{i18n::trf("No receipt number is left for this till: {problem}", {{"problem", receipt.error().context}})});
    return;
  }
  SalePayload payload;
  payload.receipt_number = receipt.value();
  payload.cart = cart;
  payload.payments = payments;
  payload.total = total;
  payload.approval = approval_of(s.cart.approver);
  if (s.shift) payload.shift_id = s.shift->shift_id;
  Result<std::string> json = encode_sale_payload(payload);
  if (!json) {
    ctx_.app.apply(state::SaleFailed{i18n::trf("The sale could not be written down: {problem}", {{"problem", json.error().context}})});
    return;
  }
  const std::int64_t created_at = ctx_.now_ms();
  state::Completed done;
  done.receipt_number = receipt.value();
  done.total = total;
  done.tendered = settled.value().cash_tendered;
  done.change = settled.value().change;
  done.sale = sale.value();
  done.cart_discounts = cart.discounts;
  done.payments = payments;
  done.settlement = settled.value();
  done.cashier = s.user->display_name;
  done.currency = s.store.currency;
  done.offline = !s.sync.online;
  done.time_text = local_time(ctx_.app.state(), created_at, s.store.time_zone);
  const double started = platform::storage::monotonic_ms();
  OpRecorder::Options options;
  options.takes_receipt = true;
  options.created_at = created_at;
  // The cart's sale id: the store refuses a second op for the same cart.
  options.op_id = s.cart.sale_id;
  const std::string sale_id = s.cart.sale_id;
  store::Status recorded = recorder_.record(
      OpKind::sale, std::move(json).value(), s,
      [this, done, started](const store::Status& status) mutable {
        // Only now is the sale durable in IndexedDB: "Sale complete" may show.
        if (status) {
          done.persist_ms = platform::storage::monotonic_ms() - started;
          ctx_.app.apply(state::SaleRecorded{done});
        } else {
          ctx_.app.apply(state::SaleFailed{i18n::trf(
              "The sale could not be stored on this device ({problem}). Nothing was recorded: do not hand over goods for it yet.",
              {{"problem", status.error().context}})});
        }
      },
      options);
  if (!recorded && recorded.error().code == store::StoreErrc::duplicate_op)
    ctx_.app.apply(state::CartAlreadyRecorded{sale_id, st->recorded_receipt(sale_id)});
  else if (!recorded)
    ctx_.app.apply(state::SaleFailed{i18n::trf("The sale could not be recorded: {problem}", {{"problem", recorded.error().context}})});
}

void Selling::record_refund(const state::AppState& s, const std::string& op_id) {
  const state::RefundDraft& d = *s.refund;
  RefundPayload p;
  p.sale_op_id = s.sale_detail->sale_op_id;
  for (std::size_t i = 0; i < d.quantities.size(); ++i)
    if (d.quantities[i].thousandths > 0) p.lines.push_back(RefundRequestLine{i, d.quantities[i]});
  p.reason = d.reason;
  p.total = d.computed ? d.computed->total : 0;
  if (s.shift) p.shift_id = s.shift->shift_id;
  p.approval = approval_of(d.approver);
  p.tenders = d.tenders;
  Result<std::string> json = encode_refund_payload(p);
  if (!json) {
    ctx_.app.apply(state::RefundRecorded{i18n::trf("The refund could not be written down: {problem}", {{"problem", json.error().context}})});
    return;
  }
  const std::string sale_id = p.sale_op_id;
  const bool local = s.sale_detail->local;
  store::Status st = recorder_.record(
      OpKind::refund, std::move(json).value(), s, [this, sale_id, local](const store::Status& status) {
        ctx_.app.apply(
            state::RefundRecorded{status ? std::string()
                                         : i18n::trf("The refund could not be stored ({problem}): nothing was refunded, do "
                                                     "not hand over money for it.",
                                                     {{"problem", status.error().context}})});
        if (status) ctx_.app.apply(state::OpenSale{sale_id, !local});
      },
      OpRecorder::Options{false, 0, op_id});
  if (!st) ctx_.app.apply(state::RefundRecorded{i18n::trf("The refund could not be recorded: {problem}", {{"problem", st.error().context}})});
}

}  // namespace salespider::effects
