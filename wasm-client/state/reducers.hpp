// Inside the reducer (state/ only; ui/ and the controller include
// app_state.hpp): which reducer takes which command, and the helpers more
// than one of them uses. reduce() in app_state.cpp hands every command to
// exactly one of reduce_session() (reduce_session.cpp), reduce_selling()
// (reduce_selling.cpp), reduce_payment() (reduce_payment.cpp) and
// reduce_day() (day_state.cpp); the lists below are what the compiler checks
// that against.
//
// Deliberately not here: anything with I/O or a clock. Like all of state/,
// these are functions of the state and the command (the time comes in as
// state.sync.now_ms).
#pragma once

#include "state/app_state.hpp"

#include <salespider/shared/i18n.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>
#include <variant>

namespace salespider::state {

// Messages the reducers say are in the catalogue (i18n.hpp).
using i18n::tr;
using i18n::trf;

template <class... Cs>
struct CommandList {};

template <class C, class List>
struct InList;
template <class C, class... Cs>
struct InList<C, CommandList<Cs...>> : std::bool_constant<(std::is_same_v<C, Cs> || ...)> {};
template <class C, class List>
constexpr bool kIn = InList<C, List>::value;

// Enrolment, sign-in, the device screen and what the controller reports
// about storage, sync and the store.
using SessionCommands =
    CommandList<OpenTill, Back, FirstFrameRendered, StartupFailed, StorageChanged, DismissMessage, SubmitEnrol,
                SubmitLogin, SubmitPin, EnrolFinished, TillChanged, LoginFinished, KnownUsersChanged, SignOut,
                SwitchCashier, ResetLocalData, ResetRefused, OpenDevice, SyncNow, ExportPendingOps, SyncChanged,
                StoreChanged>;
// The cart: products in, quantities, discounts and their approvals, the
// tiles' search, parked sales.
using SellingCommands =
    CommandList<ScanCode, ProductFound, AddProduct, SaleIdIssued, SetQuantity, SelectLine, SetLineDiscount,
                SetCartDiscount, SubmitApproval, CancelApproval, ApprovalFinished, Search, MoreProducts,
                SearchResults, CategoriesChanged, ParkSale, OpenParked, ResumeParked, VoidParked, ParkedVoided,
                DraftsRestored, ProductNotFound, ChangeQuantity, RemoveLine, OpIdIssued, CartAlreadyRecorded>;
// Taking the money and what follows: tenders, the recorded sale, receipts.
using PaymentCommands = CommandList<AddPayment, RemovePayment, PrintReceipt, SetReceiptPaper, StartPayment,
                                    CompleteSale, SaleRecorded, SaleFailed, NewSale>;
// Shifts, history, refunds, the attention list.
using DayCommands =
    CommandList<OpenShiftScreen, ShiftChanged, SetShiftRequired, SubmitOpenShift, SubmitCashMovement,
                RequestShiftReport, SubmitCloseShift, ShiftOpFinished, ShiftReportReady, PrintShiftReport,
                OpenHistory, MoreHistory, HistoryLoaded, HistoryChoicesLoaded, ExportSales, SalesExported, OpenSale, SaleLoaded, ReprintSale, StartRefund,
                SetRefundQuantity, SetRefundTenders, SubmitRefund, RefundRecorded, OpenAttention, AttentionLoaded>;
// Back office, stock: operations, the count, the server's lists, CSV.
using StockCommands =
    CommandList<OpenStock, OpenStockCount, OpenStockLists, OpenCsv, StockSearch, StockSearchResults,
                PickStockProduct, SubmitStockOp, StockOpRecorded, StartStockCount, StockCountIdIssued,
                SetCountedQuantity, RemoveCountLine, DiscardStockCount, ApplyStockCount, CountLineRecorded,
                StockCountRestored, ShowStockList, StockListLoaded, PickCsvFile, CsvFileChosen, CheckCsv, ImportCsv,
                CsvAnswered, CsvErrorPage, ExportCsv, CsvExported>;

// The back office's hub and catalog screens (back_office.cpp).
using BackOfficeCommands =
    CommandList<OpenBackOffice, OpenProducts, QueryProducts, ProductsLoaded, OpenProduct, ProductLoaded, SaveProduct,
                ProductSaved, KeepMine, UseTheirs, ArchiveProduct, OpenCategories, CategoriesLoaded, SaveCategory,
                ArchiveCategory, OpenTaxRates, TaxRatesLoaded, SaveTaxRate, RetireTaxRate, DeleteTaxRate,
                CatalogWritten>;

// Back office, the store settings screen (settings.cpp).
using SettingsCommands = CommandList<OpenSettings, SettingsLoaded, SaveSettings, SettingsSaved, SettingsKeepMine,
                                     SettingsUseTheirs, PickLogo, LogoChosen, RemoveLogo>;
// Back office, people: the Staff and Tills screens (staff.cpp, tills.cpp).
using StaffCommands = CommandList<OpenStaff, StaffLoaded, SearchStaff, OpenStaffMember, StaffSessionsLoaded,
                                  StaffAction, StaffActionDone>;
using TillsCommands = CommandList<OpenTills, TillsLoaded, TillAction, TillActionDone>;
// The audit log, the attention list's actions, the first-run setup (audit.cpp, setup.cpp).
using AuditCommands = CommandList<OpenAudit, QueryAudit, AuditPage, AuditLoaded, AuditPeopleLoaded, SelectAuditRow,
                                  VerifyAudit, AuditVerified, ExportAudit, AuditExported, ActOnAttention,
                                  AttentionAnswered>;
using SetupCommands = CommandList<SetupNeeded, SetupGoTo, SaveSetup, SetupTaxRate, RenameThisTill, SetupSaved,
                                  TillRenamed, SetupOpenProducts>;
// The language picker (language.cpp).
using LanguageCommands = CommandList<SetLanguage, DeviceLanguageLoaded>;
// The server's alerts (server_alerts.cpp).
using ServerAlertsCommands = CommandList<OpenServerAlerts, RefreshServerAlerts, ServerAlertsLoaded>;
// The shifts archive (shifts_archive.cpp).
using ShiftsArchiveCommands = CommandList<OpenShiftsArchive, QueryShiftsArchive, MoreShiftsArchive, ShiftsArchiveLoaded,
                                          SelectArchivedShift, ArchivedShiftLoaded, PrintArchivedShift, OverShortLoaded>;
// The Dashboard and Reorder screens (reports.cpp).
using ReportsCommands = CommandList<OpenDashboard, QueryDashboard, DashboardLoaded, OpenReorder, QueryReorder,
                                    ReorderLoaded, FilterReorder>;

// The counter's devices: the receipt printer, the drawer, the customer display (printer.cpp).
using PrinterCommands = CommandList<OpenPrinter, SetPrinterSetup, PrinterSetupLoaded, ChoosePrinterDevice, PrinterDeviceChosen,
                                    LoadNetworkPrinters, NetworkPrintersLoaded, PrintTestPage, RetryPrint, PrintJobChanged,
                                    OpenCustomerDisplay, OpenCamera, CameraEnded, OpenDrawer, DrawerOpened>;

// Each returns false, changing nothing, for a command of another list.
bool reduce_session(AppState& state, const Command& command);
bool reduce_selling(AppState& state, const Command& command);
bool reduce_payment(AppState& state, const Command& command);
bool reduce_back_office(AppState& state, const Command& command);
// The back office's stock and CSV screens (stock_ops.cpp).
bool reduce_stock(AppState& state, const Command& command);
// The Staff screen (staff.cpp), then the Tills screen (tills.cpp).
bool reduce_people(AppState& state, const Command& command);
bool reduce_tills(AppState& state, const Command& command);
bool reduce_audit(AppState& state, const Command& command);
bool reduce_setup(AppState& state, const Command& command);
// Back from the audit log (to the hub) and from a screen the setup opened
// (Products, CSV: to the setup again).
bool oversight_back(AppState& state);
bool reduce_server_alerts(AppState& state, const Command& command);
// Back from the server alerts (to the hub).
bool server_alerts_back(AppState& state);
bool reduce_shifts_archive(AppState& state, const Command& command);
bool reduce_reports(AppState& state, const Command& command);
bool reduce_printer(AppState& state, const Command& command);
// Back from the Dashboard or Reorder (to the hub).
bool reports_back(AppState& state);
// reduce_day() is declared in app_state.hpp.

// Back from a back-office screen: to its parent screen. False (nothing
// changed) when the screen is not one of the back office's.
bool back_office_back(AppState& state);

// apply(state, c) for the command c inside, when its type is in List;
// false otherwise. The body of reduce_session() and the others.
template <class List, class Apply>
bool reduce_listed(AppState& state, const Command& command, Apply apply) {
  return std::visit(
      [&state, &apply](const auto& c) -> bool {
        using C = std::decay_t<decltype(c)>;
        if constexpr (kIn<C, List>) {
          apply(state, c);
          return true;
        } else {
          return false;
        }
      },
      command);
}

constexpr std::size_t kMaxParked = 50;

void say(AppState& s, MessageKind kind, std::string text);

// An amount in the store's currency as the till prints it.
std::string money_text(const AppState& s, std::int64_t minor);

// Basis points as "12.5%".
std::string percent_text(std::int64_t bp);

// A whole percentage as basis points, clamped to 0..100%.
std::int64_t limit_bp(std::int64_t percent);

// settle() of the payments so far against the cart's total.
void resettle(AppState& s);

// The cart's sale computed again after its lines or discounts changed.
void recompute(AppState& s);

// The cart in progress onto the parked list; the cart starts empty.
void park(AppState& s);

// Where Back leads from a Back office stock screen (stock_ops.cpp).
Screen back_office_screen(const AppState& s);

}  // namespace salespider::state
