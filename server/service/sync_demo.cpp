// See sync_demo.hpp. The store's trading is simulated day by day; each day's
// ops go through PushService like a till's outbox (with the seeder's own
// authority and no arrival judgement, see run()): first the morning's
// deliveries, then each till's shift (open, sales, refunds, cash, close).
#include "service/sync_demo.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "db/catalog.hpp"
#include "db/settings.hpp"
#include "salespider/shared/ids.hpp"
#include "salespider/shared/payloads.hpp"
#include "service/sync_push.hpp"

namespace salespider::service::sync {
namespace {

constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;
constexpr std::int64_t kHourMs = 3600LL * 1000;

struct Item {
  const char* category;
  const char* name;
  std::int64_t price;  // minor units
  bool weighed;
};

// name, price (cents / kobo), sold by weight
constexpr std::array<Item, 52> kItems{{
    {"Groceries", "Rice 1kg", 250, false},        {"Groceries", "Rice 5kg", 1100, false},
    {"Groceries", "Spaghetti 500g", 180, false},  {"Groceries", "Beans 1kg", 300, false},
    {"Groceries", "Flour 2kg", 420, false},       {"Groceries", "Sugar 1kg", 220, false},
    {"Groceries", "Salt 500g", 80, false},        {"Groceries", "Vegetable oil 1l", 450, false},
    {"Groceries", "Tomato paste 400g", 150, false}, {"Groceries", "Semolina 1kg", 280, false},
    {"Drinks", "Water 1.5l", 90, false},          {"Drinks", "Cola 50cl", 120, false},
    {"Drinks", "Orange juice 1l", 350, false},    {"Drinks", "Malt drink 33cl", 150, false},
    {"Drinks", "Tea bags x50", 320, false},       {"Drinks", "Instant coffee 200g", 650, false},
    {"Dairy", "Milk 1l", 190, false},             {"Dairy", "Powdered milk 400g", 520, false},
    {"Dairy", "Yoghurt 500ml", 260, false},       {"Dairy", "Butter 250g", 390, false},
    {"Dairy", "Cheese 200g", 480, false},         {"Dairy", "Eggs x12", 330, false},
    {"Bakery", "Bread loaf", 150, false},         {"Bakery", "Croissant", 90, false},
    {"Bakery", "Buns x6", 200, false},            {"Bakery", "Cake slice", 180, false},
    {"Produce", "Tomatoes", 240, true},           {"Produce", "Onions", 180, true},
    {"Produce", "Bananas", 160, true},            {"Produce", "Oranges", 200, true},
    {"Produce", "Potatoes", 130, true},           {"Produce", "Sweet peppers", 300, true},
    {"Household", "Detergent 1kg", 520, false},   {"Household", "Bleach 1l", 230, false},
    {"Household", "Toilet roll x4", 360, false},  {"Household", "Dish soap 500ml", 210, false},
    {"Household", "Matches x10", 60, false},      {"Household", "Candles x6", 250, false},
    {"Household", "Batteries AA x4", 480, false}, {"Personal care", "Soap bar", 110, false},
    {"Personal care", "Toothpaste 100ml", 230, false}, {"Personal care", "Shampoo 400ml", 540, false},
    {"Personal care", "Body lotion 400ml", 620, false}, {"Personal care", "Razors x5", 380, false},
    {"Snacks", "Biscuits", 100, false},           {"Snacks", "Crisps 150g", 220, false},
    {"Snacks", "Chocolate bar", 130, false},      {"Snacks", "Groundnuts 200g", 170, false},
    {"Snacks", "Chewing gum", 50, false},         {"Snacks", "Popcorn", 120, false},
    {"Bakery", "Meat pie", 250, false},           {"Drinks", "Energy drink 25cl", 200, false},
}};
constexpr std::array<const char*, 5> kBrands{"Sunny", "Golden", "Prime", "Family", "Value"};

struct Product {
  std::string id;
  std::string name;
  std::string barcode;
  std::int64_t price = 0;
  bool weighed = false;
  TaxRate tax;
  double weight = 1;     // popularity
  std::int64_t on_hand = 0;  // thousandths, as this simulation knows it
  std::int64_t sold_week = 0;
};

std::string ean13(std::uint64_t n) {
  std::string d = "20" + std::to_string(1000000000ULL + n).substr(0, 10);
  int sum = 0;
  for (int i = 0; i < 12; ++i) sum += (d[static_cast<std::size_t>(i)] - '0') * (i % 2 ? 3 : 1);
  d += static_cast<char>('0' + (10 - sum % 10) % 10);
  return d;
}

// The ops of one till-day (or one morning's deliveries), in time order.
struct Outbox {
  auth::TillPrincipal till;
  std::vector<Op> ops;
};

class Simulation {
 public:
  Simulation(db::Pool& pool, const DemoOptions& options) : pool_(pool), options_(options), rng_(options.seed) {}

  Outcome<DemoReport> run() {
    const auto store = db::catalog::store(pool_);
    if (!db::catalog::store_is_empty(pool_, store.id))
      return fail(Problem::conflict, "the store is not empty: the demo only fills a new store");
    store_ = store;
    currency_ = *find_currency(store.currency);
    make_catalog();
    make_people();
    // The seeder's own path: its ops carry no grant (nobody logged in), so
    // each of its people acts with their role, as a grant would say.
    PushService push(pool_, [this](const GrantQuery& q) { return authority_of(q.user_id); });
    push_ = &push;

    const std::int64_t now = options_.now_ms ? options_.now_ms : options_.clock.now_ms();
    const std::int64_t today = now - now % kDayMs;
    const std::int64_t first = today - static_cast<std::int64_t>(options_.days) * kDayMs;
    std::vector<double> day_weight(static_cast<std::size_t>(options_.days));
    double total_weight = 0;
    for (int d = 0; d < options_.days; ++d) {
      const int weekday = static_cast<int>(((first / kDayMs + d) + 4) % 7);  // 0 = Sunday (1970-01-01 was a Thursday)
      static constexpr std::array<double, 7> kWeekday{1.3, 0.8, 0.9, 0.95, 1.0, 1.25, 1.6};
      const double trend = 0.85 + 0.3 * d / std::max(1, options_.days);
      day_weight[static_cast<std::size_t>(d)] = kWeekday[static_cast<std::size_t>(weekday)] * trend;
      total_weight += day_weight[static_cast<std::size_t>(d)];
    }
    double carry = 0;
    for (int d = 0; d < options_.days; ++d) {
      const std::int64_t day = first + d * kDayMs;
      const int weekday = static_cast<int>(((first / kDayMs + d) + 4) % 7);
      deliveries(day, d == 0, weekday == 1);
      carry += options_.sales * day_weight[static_cast<std::size_t>(d)] / total_weight;
      const int sales_today = static_cast<int>(carry);
      carry -= sales_today;
      const int on_till_one = (sales_today * 3 + 2) / 5;
      trade(day, 0, on_till_one);
      trade(day, 1, sales_today - on_till_one);
    }
    return report_;
  }

 private:
  std::string new_id(std::int64_t at_ms) {
    clock_ms_ = at_ms;
    return ids_.next().to_string();
  }

  int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }

  void make_catalog() {
    const std::string vat = db::catalog::add_tax_rate(pool_, store_.id, "VAT", "standard", 75000, "VAT 7.5%");
    const std::string zero = db::catalog::add_tax_rate(pool_, store_.id, "ZERO", "zero", 0, "Zero-rated food");
    const std::string exempt = db::catalog::add_tax_rate(pool_, store_.id, "EXEMPT", "exempt", 0, "Exempt staples");
    std::map<std::string, std::string> categories;
    for (const auto& item : kItems)
      if (!categories.count(item.category))
        categories[item.category] = db::catalog::add_category(pool_, store_.id, item.category);
    std::vector<db::catalog::NewProduct> rows;
    for (int i = 0; i < options_.products; ++i) {
      const Item& item = kItems[static_cast<std::size_t>(i) % kItems.size()];
      const int variant = i / static_cast<int>(kItems.size());
      Product p;
      p.name = variant == 0 ? std::string(item.name)
                            : std::string(kBrands[static_cast<std::size_t>(variant - 1) % kBrands.size()]) + " " +
                                  item.name + (variant > static_cast<int>(kBrands.size())
                                                   ? " " + std::to_string(variant)
                                                   : std::string());
      p.price = item.price + item.price * (variant % 4) / 10;
      p.weighed = item.weighed;
      const std::string category = item.category;
      if (category == "Produce" || category == "Bakery") {
        p.tax = TaxRate{"ZERO", TaxKind::zero, 0};
      } else if (category == "Groceries") {
        p.tax = TaxRate{"EXEMPT", TaxKind::exempt, 0};
      } else {
        p.tax = TaxRate{"VAT", TaxKind::standard, 75000};
      }
      p.barcode = ean13(static_cast<std::uint64_t>(i));
      p.weight = 1.0 / std::pow(1.0 + (i * 7919 % options_.products), 0.7);
      db::catalog::NewProduct row;
      row.name = p.name;
      row.sku = "D" + std::to_string(10000 + i);
      row.category_id = categories[category];
      row.tax_rate_id = p.tax.kind == TaxKind::standard ? vat : (p.tax.kind == TaxKind::zero ? zero : exempt);
      row.unit = p.weighed ? "weighed" : "each";
      row.price_minor = p.price;
      row.cost_minor = p.price * 7 / 10;
      row.currency = store_.currency;
      row.reorder_level_milli = 10000;
      row.barcodes = {p.barcode};
      row.price_from_ms = 946684800000;  // 2000-01-01: in force for the whole demo
      rows.push_back(std::move(row));
      products_.push_back(std::move(p));
    }
    const auto ids = db::catalog::add_products(pool_, store_.id, rows);
    for (std::size_t i = 0; i < ids.size(); ++i) products_[i].id = ids[i];
    for (const auto& p : products_) popularity_.push_back(p.weight);
    pick_ = std::discrete_distribution<std::size_t>(popularity_.begin(), popularity_.end());
    report_.products = static_cast<int>(products_.size());
  }

  void make_people() {
    owner_ = db::catalog::add_user(pool_, store_.id, "demo-owner", "Adaeze Okafor", "super_admin");
    managers_ = {db::catalog::add_user(pool_, store_.id, "demo-manager", "Tunde Bello", "manager"),
                 db::catalog::add_user(pool_, store_.id, "demo-manager2", "Grace Mensah", "manager")};
    cashiers_ = {db::catalog::add_user(pool_, store_.id, "demo-cashier", "Chidi Eze", "cashier"),
                 db::catalog::add_user(pool_, store_.id, "demo-cashier2", "Amina Yusuf", "cashier"),
                 db::catalog::add_user(pool_, store_.id, "demo-cashier3", "Kofi Asante", "cashier"),
                 db::catalog::add_user(pool_, store_.id, "demo-cashier4", "Fatima Diallo", "cashier")};
    report_.staff = 7;
    const char* names[] = {"Front 1", "Front 2"};
    const char* codes[] = {"D1", "D2"};
    for (int t = 0; t < 2; ++t) {
      auth::TillPrincipal till;
      till.store_id = store_.id;
      till.till_id = db::catalog::add_till(pool_, store_.id, names[t], codes[t]);
      till.till_code = codes[t];
      till.name = names[t];
      tills_.push_back(till);
    }
    receipt_seq_.assign(tills_.size(), 0);
    report_.tills = 2;
  }

  GrantVerdict authority_of(const std::string& user_id) const {
    GrantVerdict v;
    auth::Role role = auth::Role::cashier;
    if (user_id == owner_)
      role = auth::Role::super_admin;
    else if (std::find(managers_.begin(), managers_.end(), user_id) != managers_.end())
      role = auth::Role::manager;
    else if (std::find(cashiers_.begin(), cashiers_.end(), user_id) == cashiers_.end())
      return v;  // not one of the seeder's people: no authority
    v.user_id = user_id;
    v.role = role;
    v.permissions = auth::permissions_of(role);
    v.max_discount_bp = static_cast<std::int64_t>(auth::limits_of(role).max_discount_percent) * 100;
    return v;
  }

  Op make_op(const auth::TillPrincipal& till, OpKind kind, std::int64_t at, const std::string& user,
             std::string payload) {
    Op op;
    op.op_id = new_id(at);
    op.till_id = till.till_id;
    op.kind = kind;
    op.created_at = at;
    op.user_id = user;
    op.payload = std::move(payload);
    return op;
  }

  void send(Outbox& box) {
    for (std::size_t start = 0; start < box.ops.size(); start += kMaxOpsPerBatch) {
      PushBatch batch;
      batch.till_id = box.till.till_id;
      const auto end = std::min(box.ops.size(), start + kMaxOpsPerBatch);
      batch.ops.assign(box.ops.begin() + static_cast<std::ptrdiff_t>(start),
                       box.ops.begin() + static_cast<std::ptrdiff_t>(end));
      PushContext ctx;
      ctx.now_ms = options_.clock.now_ms();
      ctx.replaying_history = true;  // past days, pushed in one go
      for (const auto& r : push_->push(box.till, batch, ctx).results) {
        if (r.status == OpStatus::rejected) ++report_.rejected;
        if (r.status == OpStatus::applied && !r.message.empty()) ++report_.flagged;
      }
    }
    box.ops.clear();
  }

  // Opening stock on the first morning; on Mondays, top up to about two
  // and a half weeks of last week's sales.
  void deliveries(std::int64_t day, bool opening, bool monday) {
    if (!opening && !monday) return;
    Outbox box{tills_[0], {}};
    const std::int64_t at = day + 7 * kHourMs;
    for (auto& p : products_) {
      std::int64_t target = opening ? 0 : p.sold_week * 5 / 2;
      target = std::max<std::int64_t>(target, (p.weighed ? 40 : 30) * 1000);
      if (opening) target = static_cast<std::int64_t>((p.weighed ? 80 : 60) * 1000 * (0.5 + 3 * p.weight));
      const std::int64_t need = target - p.on_hand;
      p.sold_week = 0;
      if (need <= 0) continue;
      StockMovement m;
      m.product_id = p.id;
      m.kind = StockMovementKind::receive;
      m.delta_thousandths = (need + 999) / 1000 * 1000;
      m.note = opening ? "opening stock" : "weekly delivery";
      p.on_hand += m.delta_thousandths;
      box.ops.push_back(make_op(tills_[0], OpKind::stock_movement, at, managers_[0],
                                *encode_stock_movement_payload(m)));
      ++report_.stock_movements;
    }
    // Now and then something is damaged or goes off.
    if (!opening && chance(0.7)) {
      auto& p = products_[pick_(rng_)];
      if (p.on_hand >= 2000) {
        StockMovement m;
        m.product_id = p.id;
        m.kind = StockMovementKind::write_off;
        m.delta_thousandths = -1000;
        m.reason = p.weighed ? WriteOffReason::expired : WriteOffReason::damaged;
        p.on_hand -= 1000;
        box.ops.push_back(make_op(tills_[0], OpKind::stock_movement, at + 60000, managers_[0],
                                  *encode_stock_movement_payload(m)));
        ++report_.stock_movements;
      }
    }
    send(box);
  }

  // Sale times over a trading day (08:00-20:00), busier at lunch and after work.
  std::int64_t sale_time(std::int64_t day) {
    static const std::array<double, 12> kHours{2, 3, 4, 5, 8, 9, 6, 4, 4, 6, 7, 5};
    std::discrete_distribution<int> hour(kHours.begin(), kHours.end());
    return day + (8 + hour(rng_)) * kHourMs + uniform(0, 3599) * 1000LL + uniform(0, 999);
  }

  void trade(std::int64_t day, std::size_t t, int sales) {
    if (sales <= 0) return;
    const auto& till = tills_[t];
    Outbox box{till, {}};
    const std::string cashier = cashiers_[static_cast<std::size_t>((day / kDayMs + static_cast<std::int64_t>(t) * 2) % 4)];
    const std::string shift = new_id(day + 8 * kHourMs - 600000);
    const std::int64_t float_minor = 10000;
    box.ops.push_back(make_op(till, OpKind::shift_open, day + 8 * kHourMs - 600000, cashier,
                              nlohmann::json{{"shift_id", shift},
                                             {"currency", std::string(currency_.code())},
                                             {"opening_float", float_minor}}
                                  .dump()));
    ++report_.shifts;
    std::int64_t cash = float_minor;
    std::vector<std::int64_t> times;
    for (int i = 0; i < sales; ++i) times.push_back(sale_time(day));
    std::sort(times.begin(), times.end());
    for (auto at : times) {
      auto sale = make_sale(till, t, cashier, at);
      if (!sale) continue;
      cash += sale->cash_kept;
      std::optional<std::pair<Op, std::int64_t>> refund;
      if (chance(0.015)) refund = make_refund(till, *sale, std::min(at + uniform(5, 90) * 60000, day + 20 * kHourMs));
      box.ops.push_back(std::move(sale->op));
      ++report_.sales;
      if (refund) {
        cash -= refund->second;
        box.ops.push_back(std::move(refund->first));
        ++report_.refunds;
      }
    }
    if (chance(0.15)) {
      box.ops.push_back(make_op(till, OpKind::cash_movement, day + 15 * kHourMs, managers_[t % 2],
                                nlohmann::json{{"shift_id", shift},
                                               {"kind", "pay_out"},
                                               {"amount", 1500},
                                               {"currency", std::string(currency_.code())},
                                               {"reason", "cleaning supplies"}}
                                    .dump()));
      cash -= 1500;
    }
    std::sort(box.ops.begin() + 1, box.ops.end(), [](const Op& a, const Op& b) { return a.created_at < b.created_at; });
    const std::int64_t counted = cash - (chance(0.08) ? uniform(1, 20) * 50 : 0);
    box.ops.push_back(make_op(till, OpKind::shift_close, day + 20 * kHourMs + 600000, cashier,
                              nlohmann::json{{"shift_id", shift}, {"counted_cash", std::max<std::int64_t>(0, counted)},
                                             {"note", ""}}
                                  .dump()));
    send(box);
  }

  struct MadeSale {
    Op op;
    Sale sale;
    SalePayload payload;
    std::int64_t cash_kept = 0;
  };

  std::optional<MadeSale> make_sale(const auth::TillPrincipal& till, std::size_t t, const std::string& cashier,
                                    std::int64_t at) {
    SalePayload p;
    p.receipt_number = *format_receipt_number({till.till_code, ++receipt_seq_[t]});
    p.cart.currency = currency_;
    p.cart.price_mode = store_.price_mode == "tax_exclusive" ? PriceMode::tax_exclusive : PriceMode::tax_inclusive;
    const int lines = std::min(8, 1 + static_cast<int>(std::geometric_distribution<int>(0.45)(rng_)));
    std::vector<std::size_t> chosen;
    for (int l = 0; l < lines; ++l) {
      const std::size_t i = pick_(rng_);
      if (std::find(chosen.begin(), chosen.end(), i) != chosen.end()) continue;
      chosen.push_back(i);
      auto& prod = products_[i];
      CartLine line;
      line.product_id = prod.id;
      line.name = prod.name;
      line.barcode = prod.weighed ? "" : prod.barcode;
      line.unit_price = prod.price;
      line.unit = prod.weighed ? UnitKind::weighed : UnitKind::each;
      line.quantity = Quantity{prod.weighed ? uniform(250, 2500) : (chance(0.75) ? 1 : uniform(2, 4)) * 1000};
      line.tax = prod.tax;
      prod.on_hand -= line.quantity.thousandths;
      prod.sold_week += line.quantity.thousandths;
      p.cart.lines.push_back(std::move(line));
    }
    if (chance(0.04)) p.cart.discounts.push_back(Discount{DiscountKind::percent, 500});
    auto sale = compute_sale(p.cart);
    if (!sale) return std::nullopt;
    p.total = sale->totals.total;
    const std::int64_t total = sale->totals.total;
    std::int64_t cash_kept = 0;
    const double r = std::uniform_real_distribution<double>(0, 1)(rng_);
    if (r < 0.55) {
      const std::int64_t handed = chance(0.3) ? total : (total + 499) / 500 * 500;
      p.payments.push_back(Payment{TenderKind::cash, std::max<std::int64_t>(1, handed), ""});
      cash_kept = total;
    } else if (r < 0.9) {
      p.payments.push_back(Payment{TenderKind::card, total, "****" + std::to_string(uniform(1000, 9999))});
    } else {
      const std::int64_t mobile = total / 2;
      if (mobile > 0) p.payments.push_back(Payment{TenderKind::mobile_money, mobile, "MM" + std::to_string(uniform(100000, 999999))});
      if (total - mobile > 0) p.payments.push_back(Payment{TenderKind::cash, total - mobile, ""});
      cash_kept = total - mobile;
    }
    if (total == 0) return std::nullopt;
    MadeSale made;
    made.op = make_op(till, OpKind::sale, at, cashier, *encode_sale_payload(p));
    made.sale = std::move(sale).value();
    made.payload = std::move(p);
    made.cash_kept = cash_kept;
    return made;
  }

  // A customer brings back one unit (or all of a weighed line) of the first line.
  std::optional<std::pair<Op, std::int64_t>> make_refund(const auth::TillPrincipal& till, const MadeSale& sale,
                                                          std::int64_t at) {
    TenderSettings tenders;
    auto settled = settle(sale.sale.totals.total, sale.payload.payments, tenders);
    if (!settled) return std::nullopt;
    RefundPayload p;
    p.sale_op_id = sale.op.op_id;
    const auto& line = sale.sale.lines[0];
    p.lines.push_back(RefundRequestLine{0, Quantity{line.item.unit == UnitKind::weighed ? line.item.quantity.thousandths
                                                                                        : 1000}});
    static const std::array<const char*, 4> kReasons{"damaged", "changed mind", "wrong size", "expired"};
    p.reason = kReasons[static_cast<std::size_t>(uniform(0, 3))];
    auto refund = compute_refund(sale.sale, *settled, RefundLedger::for_sale(sale.sale), p.lines);
    if (!refund || refund->total <= 0) return std::nullopt;
    p.total = refund->total;
    auto& prod = *std::find_if(products_.begin(), products_.end(), [&](const Product& x) { return x.id == line.item.product_id; });
    prod.on_hand += p.lines[0].quantity.thousandths;
    return std::make_pair(make_op(till, OpKind::refund, at, managers_[0], *encode_refund_payload(p)),
                          refund->tenders[static_cast<std::size_t>(TenderKind::cash)]);
  }

  db::Pool& pool_;
  DemoOptions options_;
  std::mt19937_64 rng_;
  std::int64_t clock_ms_ = 0;
  UuidV7Generator ids_{[this] { return clock_ms_; }, [this] { return rng_(); }};
  db::catalog::StoreFacts store_;
  Currency currency_;
  std::vector<Product> products_;
  std::vector<double> popularity_;
  std::discrete_distribution<std::size_t> pick_;
  std::string owner_;
  std::vector<std::string> managers_;
  std::vector<std::string> cashiers_;
  std::vector<auth::TillPrincipal> tills_;
  std::vector<std::int64_t> receipt_seq_;
  PushService* push_ = nullptr;
  DemoReport report_;
};

}  // namespace

Outcome<DemoReport> seed_demo(db::Pool& pool, const DemoOptions& options) {
  if (options.products < 1 || options.products > 100000)
    return fail(Problem::bad_request, "products: 1 to 100000", "products");
  if (options.sales < 0 || options.sales > 10'000'000) return fail(Problem::bad_request, "sales: 0 to 10000000", "sales");
  if (options.days < 1 || options.days > 3650) return fail(Problem::bad_request, "days: 1 to 3650", "days");
  Simulation sim(pool, options);
  auto report = sim.run();
  // A demo store is set up: the till's first-run setup stays away.
  if (report) db::settings::mark_setup_completed(pool, db::catalog::store(pool).id);
  return report;
}

}  // namespace salespider::service::sync
