// Package logschema is the one description of the Cryptolens logs: for
// each log, a table of its columns (the key on the wire, the Go field, the
// type, the Parquet column, the frame header, whether it is personal).
// Everything else that knows a log's columns is generated from it by
// ./gen (run `go generate ./internal/logschema`, or `go generate ./...`):
//
//	pkg/cryptolens/rows_gen.go       the wire row types, RowID and RowTime
//	pkg/cryptolens/rowdecode_gen.go  the row decoders
//	pkg/logs/tables_gen.go           the columnar tables: Grow, Append, Row, Take, Where, Window, column constants
//	pkg/logs/frames_gen.go           Frame and WriteCSV
//	pkg/logs/redact_gen.go           which columns redaction learns and replaces
//	pkg/logstore/schema_gen.go       the Parquet records, the segment loader, the store format
//	pkg/sample/encode_gen.go         the sample server's JSON encoders
//	pkg/lenslog/kinds_gen.go         each table's kind for the generic loader, and its Account method
//
// The generated files are checked in; CI fails when they are stale.
// Nothing at run time imports this package: it only feeds the generator,
// so the import graph of the libraries is what the generated code imports
// (cryptolens at the bottom, logs over it, logstore over logs).
//
// # Adding a field
//
// Add one Column to the log's Columns, in the place the API sends it, with
// Since set to the next store format (one more than StoreFormat today), and
// run go generate. The wire row, decoder, table, frame, CSV, redaction,
// Parquet column, loader and sample encoder follow; the store's format
// number goes up, so an older lenslog refuses the store instead of
// dropping the column when it compacts, and segments written before it
// read the new column as zero values. Describe the column in
// pkg/logstore/SCHEMA.md.
//
// # Adding a log or table
//
// Append a Log to Logs (the usage-analytics and inventory tables are each
// one more Log). The generator writes the same set of types and functions
// for it; with a Load, also its kind for pkg/lenslog's one load path and
// the Account method that loads it (a Log without one is skipped there;
// an inventory table's loads the store's snapshot as of now, with the
// permission its Load names). What is not
// per-column (the API call that pages it, the store's kind value tying
// the generated functions together, analyses) is written by hand.
package logschema

import (
	"errors"
	"fmt"
	"slices"
)

//go:generate go run ./gen -root ../..

// Kind is what a column holds, which decides its Go, JSON and Parquet
// types.
type Kind int

// The column kinds.
const (
	Int64     Kind = iota // int64 on the wire, in tables and in Parquet
	Int                   // int on the wire and in tables, INT32 in Parquet
	Enum                  // a named int type from pkg/cryptolens (Column.Enum), INT32 in Parquet
	String                // JSON string (null reads as ""); STRING in Parquet
	Raw                   // any JSON value kept as text (a string's contents, else its JSON); STRING in Parquet
	Bool                  // JSON true/false; BOOLEAN in Parquet
	Time                  // unix seconds on the wire and in rows, Times in tables, TIMESTAMP(MICROS, UTC) in Parquet
	OptTime               // as Time, but 0 means none: the zero time in tables, null in Parquet
	UsageTime             // as Time, but on the wire an ISO-8601 text or unix seconds (the Usage Analytics methods)
	Seconds               // a duration in seconds, which the wire may send with a fraction; int64 whole seconds
)

// Personal says what identifier a column holds, for redaction.
type Personal int

// The kinds of personal column; the names match pkg/logs' pseudonym kinds.
const (
	NotPersonal Personal = iota
	Key                  // license keys
	Machine              // machine codes
	IP                   // IP addresses
	Name                 // friendly names
	User                 // user ids, as text
	UserID               // user ids, as integers
	Text                 // free text (JSON or not) that may mention any of them
	Email                // e-mail addresses
)

// Derived is a frame column computed from the column it follows, by a
// function hand-written in pkg/logs (func(col) []T).
type Derived struct {
	Header string // frame header
	Series string // gota series type: String, Int, Float, Bool
	Func   string // the pkg/logs function that computes it from the column
}

// Column is one field of a log.
type Column struct {
	Wire     string    // key in the API's JSON
	Field    string    // field of the wire row type (pkg/cryptolens)
	Table    string    // field of the table type (pkg/logs); Field when empty
	Kind     Kind      // what it holds
	Enum     string    // for Enum: the pkg/cryptolens type
	Named    bool      // for Enum: frames and CSV show its String() instead of the number
	Parquet  string    // column name in the store's segments
	Frame    string    // header in frames (pkg/logs Frame)
	Doc      string    // what it is; the comment on the wire row's field
	Personal Personal  // what identifier it holds, if any
	Plain    bool      // for strings: mostly unique, so stored without a dictionary and not interned when loaded
	Delta    bool      // for Int64: stored as differences (DELTA_BINARY_PACKED), for values that rise, like ids; row times always are
	OnReq    bool      // sent only when the request asks for it (Web API Log: AnomalyClassification)
	Since    int       // the store format that added the column; 0 for the first columns
	Derived  []Derived // frame columns shown after it
}

// Log is one log, or one Usage Analytics table.
type Log struct {
	Name    string   // store folder and logstore.Log value: "webapi"; for a Usage table its logstore.UsageTable
	Title   string   // "Web API Log"
	Row     string   // wire row type in pkg/cryptolens
	RowDoc  string   // its doc comment
	Table   string   // table type in pkg/logs
	Kind    string   // prefix of the generated helpers: "webAPI" makes webAPIKeys, readWebAPI, ...
	Columns []Column // in the order the API sends them; the first is the id, the paging cursor
	// RowTime is the wire name of the column that is the row's time, which
	// windows cut by; empty means the log's one Time column.
	RowTime string
	// Usage marks a Usage Analytics table: rows, decoders, tables, frames
	// and redaction are generated for it; the store keeps it in its own
	// files (pkg/logstore/usage.go, whose Parquet columns are named as the
	// row type's Go fields, so the Parquet names here are not used yet)
	// and the sample server encodes it by hand, so no segment schema or
	// encoder is.
	Usage bool
	// Inventory marks a table of the account's present state (products,
	// licenses, their activated machines, customers): rows, decoders,
	// tables, frames and redaction are generated for it, and the store
	// keeps its snapshots in files of their own (pkg/logstore/snapshot.go),
	// as it does the Usage tables'.
	Inventory bool
	// Nested are the wire names of members a row nests: objects or arrays
	// of other tables' rows, such as a license's "customer" and
	// "activatedMachines". Its generated decoder takes a hook and hands it
	// each (matched in any letter case, as columns are), so the row is
	// read once; without a hook they are skipped.
	Nested []string
	// Load says how pkg/lenslog loads the table; the generator writes its
	// kind and its Account method from it (pkg/lenslog/kinds_gen.go). A
	// table without one (nil) gets neither, and is loaded by hand if at all.
	Load *Load
}

// Load is how pkg/lenslog loads a table: what differs per table in the
// one generic load path (pkg/lenslog/table.go for the logs, usage.go for
// the Usage Analytics tables, inventory.go for the inventory's snapshots,
// which load as of now rather than for a span).
type Load struct {
	Method string // the Account method that returns the table: "WebAPI"
	Doc    string // the method's doc comment, after its name: "returns ..."
	API    string // the API method, for messages: "ai/GetWebAPILog"
	// Pager is the cryptolens.Client method that pages the rows; one
	// named ...Backward takes the window's start and stops there.
	Pager string
	// Rows is the field holding the rows: in sample.Account for a log, in
	// sample.Usage and logstore.Usage for a Usage Analytics table, in
	// logstore.Snapshot for an inventory table.
	Rows  string
	Store string // the logstore value naming the table: a Log (WebAPI), a UsageTable (UsageDaily) or an InventoryTable (InventoryLicenses)
	// From, for a table whose rows are time ranges, is the wire name of
	// the column that starts a row's range (the row time ends it): a span
	// selects the rows whose range overlaps it. Empty: the rows whose row
	// time is in the span.
	From string
	// Permission, for an inventory table, is the permission the token
	// needs for its API method ("GetKeys"), which a load without it names.
	// An inventory table has no Pager: the store's snapshot reads it whole
	// (logstore.FetchSnapshot).
	Permission string
	// Product, for an inventory table, is the wire name of the column a
	// Product filter matches; empty: productId, when the table has one. A
	// table without either cannot be narrowed, and its Account method
	// takes no filters.
	Product string
}

// OwnFiles reports whether the store keeps the table in files of its own
// rather than in generated segments (the Usage and inventory tables).
func (l Log) OwnFiles() bool { return l.Usage || l.Inventory }

// BaseFormat is the store format before any column carried Since: format 2
// (segment footers). StoreFormat is the format the generated store writes.
const BaseFormat = 2

// LayoutFormat is the last store format that changed how segments are
// kept rather than which columns of the log they have: format 4 rewrites,
// when a store is upgraded, every segment lacking a column of its log, so
// all segments of a log have the same columns; format 5 gives every
// segment a month column (the row time's UTC month, written by the store,
// not a column of the log), so engines skip the months a query does not
// ask for. No column has Since equal to it.
const LayoutFormat = 5

// StoreFormat returns the store format of the description: LayoutFormat,
// or the largest Since of any column if larger.
func StoreFormat() int {
	f := LayoutFormat
	for _, l := range Logs {
		if l.OwnFiles() {
			continue
		}
		for _, c := range l.Columns {
			f = max(f, c.Since)
		}
	}
	return f
}

// Logs are what the generator describes: the three logs lenslog reads,
// in the order a sync visits them, then the Usage Analytics tables, then
// the inventory tables.
var Logs = slices.Concat(theLogs, usageLogs, inventoryLogs)

// theLogs are the three logs.
var theLogs = []Log{
	{
		Name: "webapi", Title: "Web API Log", Row: "WebAPILogRow", Table: "WebAPI", Kind: "webAPI",
		RowDoc: "WebAPILogRow is one row of the Web API Log as the API sends it.",
		Load: &Load{Method: "WebAPI", API: "ai/GetWebAPILog", Pager: "WebAPILogBackward", Rows: "WebAPI", Store: "WebAPI",
			Doc: "returns the Web API Log rows in span, oldest first, narrowed by\n// the filters (Product) and with the columns they ask for (Columns; all\n// by default)."},
		Columns: []Column{
			{Wire: "id", Field: "ID", Kind: Int64, Delta: true, Parquet: "id", Frame: "ID", Doc: "unique, increasing; the paging cursor"},
			{Wire: "productId", Field: "ProductID", Kind: Int, Parquet: "product_id", Frame: "Product", Doc: "product the key belongs to"},
			{Wire: "key", Field: "Key", Kind: String, Parquet: "key", Frame: "Key", Doc: "license key string", Personal: Key},
			{Wire: "ip", Field: "IP", Kind: String, Parquet: "ip", Frame: "IP", Doc: "caller IP, already anonymized by Cryptolens", Personal: IP},
			{Wire: "time", Field: "Time", Kind: Time, Parquet: "time", Frame: "Time (UTC)", Doc: "unix seconds, UTC"},
			{Wire: "state", Field: "State", Kind: Enum, Enum: "State", Parquet: "state", Frame: "State", Doc: "four-digit state code",
				Derived: []Derived{{"Outcome", "String", "outcomes"}, {"Method group", "String", "methodGroups"}}},
			{Wire: "machineCode", Field: "MachineCode", Kind: String, Parquet: "machine_code", Frame: "Machine code", Doc: "device id, when the method has one", Personal: Machine},
			{Wire: "friendlyName", Field: "FriendlyName", Kind: String, Parquet: "friendly_name", Frame: "Friendly name", Doc: "device or seat label, often a user name", Personal: Name},
			{Wire: "floatingExpires", Field: "FloatingExpires", Kind: OptTime, Parquet: "floating_expires", Frame: "Floating expires (UTC)", Doc: "unix seconds a floating seat expires, 0 if not floating"},
			{Wire: "doIntValue", Field: "DOIntValue", Kind: Int64, Parquet: "do_int_value", Frame: "DO int value", Doc: "data-object operations: the integer passed"},
			{Wire: "doId", Field: "DOID", Kind: Int64, Parquet: "do_id", Frame: "DO id", Doc: "data-object operations: the data object's id"},
			{Wire: "isAnomaly", Field: "IsAnomaly", Kind: Bool, Parquet: "is_anomaly", Frame: "Anomaly", OnReq: true, Since: 3,
				Doc: "Cryptolens' anomaly classification flagged the row (sent only with AnomalyClassification)"},
			{Wire: "anomalyProperties", Field: "AnomalyProperties", Kind: Raw, Parquet: "anomaly_properties", Frame: "Anomaly properties", OnReq: true, Since: 3, Personal: Text,
				Doc: "why, as JSON text (sent only with AnomalyClassification)"},
		},
	},
	{
		Name: "events", Title: "Events Log", Row: "Event", Table: "Events", Kind: "event",
		RowDoc: "Event is one row of the Events Log.",
		Load: &Load{Method: "Events", API: "ai/GetEvents", Pager: "EventsBackward", Rows: "Events", Store: "Events",
			Doc: "returns the Events Log rows in span, oldest first, narrowed by\n// the filters (Product) and with the columns they ask for (Columns; all\n// by default)."},
		Columns: []Column{
			{Wire: "id", Field: "ID", Kind: Int64, Delta: true, Parquet: "id", Frame: "ID", Doc: "unique, increasing; the paging cursor"},
			{Wire: "productId", Field: "ProductID", Kind: Int, Parquet: "product_id", Frame: "Product", Doc: "product the key belongs to"},
			{Wire: "key", Field: "Key", Kind: String, Parquet: "key", Frame: "Key", Doc: "license key string", Personal: Key},
			{Wire: "machineCode", Field: "MachineCode", Kind: String, Parquet: "machine_code", Frame: "Machine code", Doc: "device id", Personal: Machine},
			{Wire: "featureName", Field: "FeatureName", Kind: String, Parquet: "feature_name", Frame: "Feature", Doc: "up to 100 characters"},
			{Wire: "eventName", Field: "EventName", Kind: String, Parquet: "event_name", Frame: "Event", Doc: "up to 100 characters"},
			{Wire: "time", Field: "Time", Kind: Time, Parquet: "time", Frame: "Time (UTC)", Doc: "unix seconds, UTC"},
			{Wire: "value", Field: "Value", Kind: Int64, Parquet: "value", Frame: "Value (x100)", Doc: "money times 100: 25.30 arrives as 2530",
				Derived: []Derived{{"Amount", "Float", "amounts"}}},
			{Wire: "currency", Field: "Currency", Kind: String, Parquet: "currency", Frame: "Currency", Doc: `e.g. "USD"`},
			{Wire: "metadata", Field: "Metadata", Kind: String, Parquet: "metadata", Frame: "Metadata", Doc: "JSON text (e.g. OS statistics) or empty", Personal: Text},
		},
	},
	{
		Name: "objects", Title: "Object Log", Row: "ObjectLogEntry", Table: "Objects", Kind: "object",
		RowDoc: "ObjectLogEntry is one row of the Object Log: one object added, updated or\n// deleted by a user of the account.",
		Load: &Load{Method: "Objects", API: "ai/GetObjectLog", Pager: "ObjectLogForward", Rows: "Objects", Store: "Objects",
			Doc: "returns the Object Log rows in span, oldest first, with the\n// columns the filters ask for (Columns; all by default). The Object Log\n// has no product (it records changes to any object of the account), so\n// Product is refused."},
		Columns: []Column{
			{Wire: "id", Field: "ID", Kind: Int64, Delta: true, Parquet: "id", Frame: "ID", Doc: "unique, increasing; the paging cursor"},
			{Wire: "created", Field: "Created", Table: "Time", Kind: Time, Parquet: "created", Frame: "Time (UTC)", Doc: "unix seconds, UTC: when the change was made"},
			{Wire: "resourceType", Field: "ResourceType", Kind: Enum, Enum: "ResourceType", Named: true, Parquet: "resource_type", Frame: "Resource type", Doc: "what kind of object changed"},
			{Wire: "resourceAction", Field: "ResourceAction", Kind: Enum, Enum: "ResourceAction", Named: true, Parquet: "resource_action", Frame: "Action", Doc: "added, updated or deleted"},
			{Wire: "affectedObjectId", Field: "AffectedObjectID", Kind: Int64, Parquet: "affected_object_id", Frame: "Object ID", Doc: "the object changed"},
			{Wire: "objectOwnerUserId", Field: "ObjectOwnerUserID", Kind: Int64, Parquet: "object_owner_user_id", Frame: "Owner user ID", Doc: "its owner", Personal: UserID},
			{Wire: "performedByUserId", Field: "PerformedByUserID", Kind: String, Parquet: "performed_by_user_id", Frame: "Performed by", Doc: "who changed it; a string on the wire", Personal: User},
			{Wire: "data", Field: "Data", Kind: String, Parquet: "data", Frame: "Data", Plain: true, Personal: Text,
				Doc: "JSON text: on Added a copy of the object; on Updated an object mapping each changed field name to [old, new]"},
		},
	},
}

// The Usage Analytics tables, aggregates Cryptolens builds from the Web
// API Log (see the spec's "Usage Analytics"), in the order a sync visits
// them.
var usageLogs = []Log{
	{
		Name: "usage_daily", Title: "daily aggregates", Row: "DailyAggregate", Table: "UsageDaily", Kind: "usageDaily",
		RowDoc: "DailyAggregate is one product's figures for one day (ai/GetDailyAggregates).", RowTime: "date", Usage: true,
		Load: &Load{Method: "DailyAggregates", API: "ai/GetDailyAggregates", Pager: "DailyAggregatesForward", Rows: "Daily", Store: "UsageDaily",
			Doc: "returns ai/GetDailyAggregates for the days that start in\n// span: per product and day, the requests, successes, failures and the\n// active devices, keys and customers."},
		Columns: []Column{
			{Wire: "id", Field: "ID", Kind: Int64, Parquet: "id", Frame: "ID", Doc: "the row's id, the paging cursor"},
			{Wire: "productId", Field: "ProductID", Kind: Int, Parquet: "product_id", Frame: "Product", Doc: "product"},
			{Wire: "date", Field: "Date", Kind: UsageTime, Parquet: "date", Frame: "Day (UTC)", Doc: "the day's 00:00 UTC, unix seconds"},
			{Wire: "totalRequestsLogged", Field: "TotalRequestsLogged", Kind: Int64, Parquet: "total_requests_logged", Frame: "Requests", Doc: "requests logged that day"},
			{Wire: "successful", Field: "Successful", Kind: Int64, Parquet: "successful", Frame: "Successful", Doc: "of them successful"},
			{Wire: "failed", Field: "Failed", Kind: Int64, Parquet: "failed", Frame: "Failed", Doc: "of them failed"},
			{Wire: "activeDevices", Field: "ActiveDevices", Kind: Int64, Parquet: "active_devices", Frame: "Active devices", Doc: "distinct machine codes"},
			{Wire: "activeKeys", Field: "ActiveKeys", Kind: Int64, Parquet: "active_keys", Frame: "Active keys", Doc: "distinct license keys"},
			{Wire: "activeCustomers", Field: "ActiveCustomers", Kind: Int64, Parquet: "active_customers", Frame: "Active customers", Doc: "distinct customers of those keys"},
		},
	},
	{
		Name: "usage_countries", Title: "daily country aggregates", Row: "DailyCountryAggregate", Table: "UsageCountries", Kind: "usageCountries",
		RowDoc: "DailyCountryAggregate is one product's figures for one day and country\n// (ai/GetDailyCountryAggregates).", RowTime: "date", Usage: true,
		Load: &Load{Method: "DailyCountryAggregates", API: "ai/GetDailyCountryAggregates", Pager: "DailyCountryAggregatesForward", Rows: "Countries", Store: "UsageCountries",
			Doc: "returns ai/GetDailyCountryAggregates for the days\n// that start in span: per product, day and country, the requests,\n// successes and failures."},
		Columns: []Column{
			{Wire: "id", Field: "ID", Kind: Int64, Parquet: "id", Frame: "ID", Doc: "the row's id, the paging cursor"},
			{Wire: "productId", Field: "ProductID", Kind: Int, Parquet: "product_id", Frame: "Product", Doc: "product"},
			{Wire: "date", Field: "Date", Kind: UsageTime, Parquet: "date", Frame: "Day (UTC)", Doc: "the day's 00:00 UTC, unix seconds"},
			{Wire: "countryCode", Field: "CountryCode", Kind: String, Parquet: "country_code", Frame: "Country", Doc: "ISO 3166-1 alpha-2, from the caller's IP"},
			{Wire: "totalRequests", Field: "TotalRequests", Kind: Int64, Parquet: "total_requests", Frame: "Requests", Doc: "requests from the country that day"},
			{Wire: "successful", Field: "Successful", Kind: Int64, Parquet: "successful", Frame: "Successful", Doc: "of them successful"},
			{Wire: "failed", Field: "Failed", Kind: Int64, Parquet: "failed", Frame: "Failed", Doc: "of them failed"},
		},
	},
	{
		Name: "usage_summaries", Title: "key usage summaries", Row: "KeyUsageSummary", Table: "UsageSummaries", Kind: "usageSummaries",
		RowDoc:  "KeyUsageSummary is one key's lifetime totals (ai/GetKeyUsageSummaries).\n// Cryptolens refreshes a key's row in place as it is used.",
		RowTime: "lastSeenUtc", Usage: true,
		Load: &Load{Method: "KeyUsageSummaries", API: "ai/GetKeyUsageSummaries", Pager: "KeyUsageSummariesForward", Rows: "Summaries", Store: "UsageSummaries", From: "firstSeenUtc",
			Doc: "returns ai/GetKeyUsageSummaries for the keys used in\n// span (their first-to-last-seen range overlaps it): each key's lifetime\n// totals and when it was first and last seen."},
		Columns: []Column{
			{Wire: "id", Field: "ID", Kind: Int64, Parquet: "id", Frame: "ID", Doc: "the row's id, the paging cursor"},
			{Wire: "productId", Field: "ProductID", Kind: Int, Parquet: "product_id", Frame: "Product", Doc: "product"},
			{Wire: "keyId", Field: "KeyID", Kind: Int64, Parquet: "key_id", Frame: "Key ID", Doc: "the key's id"},
			{Wire: "key", Field: "Key", Kind: String, Parquet: "key", Frame: "Key", Doc: "license key string", Personal: Key},
			{Wire: "totalRequests", Field: "TotalRequests", Kind: Int64, Parquet: "total_requests", Frame: "Requests", Doc: "requests over the key's life"},
			{Wire: "totalSuccessful", Field: "TotalSuccessful", Kind: Int64, Parquet: "total_successful", Frame: "Successful", Doc: "of them successful"},
			{Wire: "totalFailed", Field: "TotalFailed", Kind: Int64, Parquet: "total_failed", Frame: "Failed", Doc: "of them failed"},
			{Wire: "firstSeenUtc", Field: "FirstSeenUtc", Kind: UsageTime, Parquet: "first_seen", Frame: "First seen (UTC)", Doc: "unix seconds"},
			{Wire: "lastSeenUtc", Field: "LastSeenUtc", Kind: UsageTime, Parquet: "last_seen", Frame: "Last seen (UTC)", Doc: "unix seconds"},
			{Wire: "activationsSucceeded", Field: "ActivationsSucceeded", Kind: Int64, Parquet: "activations_succeeded", Frame: "Activations", Doc: "successful activations over the key's life (API reference; 0 where the server does not send it)"},
			{Wire: "activationsFailed", Field: "ActivationsFailed", Kind: Int64, Parquet: "activations_failed", Frame: "Failed activations", Doc: "failed activations over the key's life (API reference; 0 where the server does not send it)"},
			// The other counters of the API reference's KeyUsageSummary, each
			// a count of Web API states of its group over the key's life; 0
			// where the server does not send them (spellings unconfirmed).
			{Wire: "activationsNewMachine", Field: "ActivationsNewMachine", Kind: Int64, Parquet: "activations_new_machine", Frame: "Activations new machine", Doc: "successful activations from a machine new to the key"},
			{Wire: "activationsTrial", Field: "ActivationsTrial", Kind: Int64, Parquet: "activations_trial", Frame: "Trial activations", Doc: "trial activations"},
			{Wire: "activationsFloating", Field: "ActivationsFloating", Kind: Int64, Parquet: "activations_floating", Frame: "Floating activations", Doc: "floating activations (2014, 2015)"},
			{Wire: "activationsDeviceLimit", Field: "ActivationsDeviceLimit", Kind: Int64, Parquet: "activations_device_limit", Frame: "Refused at limit", Doc: "activations refused at the device limit (2024 and the like)"},
			{Wire: "deactivationsSucceeded", Field: "DeactivationsSucceeded", Kind: Int64, Parquet: "deactivations_succeeded", Frame: "Deactivations", Doc: "successful deactivations (601x)"},
			{Wire: "deactivationsFloating", Field: "DeactivationsFloating", Kind: Int64, Parquet: "deactivations_floating", Frame: "Floating deactivations", Doc: "floating deactivations (6011)"},
			{Wire: "trialKeysGenerated", Field: "TrialKeysGenerated", Kind: Int64, Parquet: "trial_keys_generated", Frame: "Trial keys generated", Doc: "trial keys created"},
			{Wire: "trialKeysReused", Field: "TrialKeysReused", Kind: Int64, Parquet: "trial_keys_reused", Frame: "Trial keys reused", Doc: "trial keys handed out again to a known machine"},
			{Wire: "trialKeysFailed", Field: "TrialKeysFailed", Kind: Int64, Parquet: "trial_keys_failed", Frame: "Trial keys failed", Doc: "trial keys that could not be created"},
			{Wire: "dataObjectOperations", Field: "DataObjectOperations", Kind: Int64, Parquet: "data_object_operations", Frame: "Data-object operations", Doc: "data-object operations (80xx)"},
			{Wire: "dataObjectIncrements", Field: "DataObjectIncrements", Kind: Int64, Parquet: "data_object_increments", Frame: "Increments", Doc: "integer increments of data objects"},
			{Wire: "dataObjectDecrements", Field: "DataObjectDecrements", Kind: Int64, Parquet: "data_object_decrements", Frame: "Decrements", Doc: "integer decrements of data objects"},
			{Wire: "dataObjectIntSets", Field: "DataObjectIntSets", Kind: Int64, Parquet: "data_object_int_sets", Frame: "Integer sets", Doc: "integer values set"},
			{Wire: "dataObjectStringSets", Field: "DataObjectStringSets", Kind: Int64, Parquet: "data_object_string_sets", Frame: "String sets", Doc: "string values set"},
		},
	},
	{
		Name: "usage_devices", Title: "key devices", Row: "KeyDevice", Table: "UsageDevices", Kind: "usageDevices",
		RowDoc:  "KeyDevice is one device (machine code) seen using one key\n// (ai/GetKeyDevices). Machine codes are normalised by Cryptolens.",
		RowTime: "lastSeenUtc", Usage: true,
		Load: &Load{Method: "KeyDevices", API: "ai/GetKeyDevices", Pager: "KeyDevicesForward", Rows: "Devices", Store: "UsageDevices", From: "firstSeenUtc",
			Doc: "returns ai/GetKeyDevices for the devices used in span: each\n// machine code seen with each key, when, and how many requests it made."},
		Columns: []Column{
			{Wire: "id", Field: "ID", Kind: Int64, Parquet: "id", Frame: "ID", Doc: "the row's id, the paging cursor"},
			{Wire: "productId", Field: "ProductID", Kind: Int, Parquet: "product_id", Frame: "Product", Doc: "product"},
			{Wire: "keyId", Field: "KeyID", Kind: Int64, Parquet: "key_id", Frame: "Key ID", Doc: "the key's id"},
			{Wire: "key", Field: "Key", Kind: String, Parquet: "key", Frame: "Key", Doc: "license key string", Personal: Key},
			{Wire: "machineCode", Field: "MachineCode", Kind: String, Parquet: "machine_code", Frame: "Machine code", Doc: "device id", Personal: Machine},
			{Wire: "firstSeenUtc", Field: "FirstSeenUtc", Kind: UsageTime, Parquet: "first_seen", Frame: "First seen (UTC)", Doc: "unix seconds"},
			{Wire: "lastSeenUtc", Field: "LastSeenUtc", Kind: UsageTime, Parquet: "last_seen", Frame: "Last seen (UTC)", Doc: "unix seconds"},
			{Wire: "totalRequests", Field: "TotalRequests", Kind: Int64, Parquet: "total_requests", Frame: "Requests", Doc: "requests from the device with the key"},
		},
	},
	{
		Name: "usage_buckets", Title: "license activity buckets", Row: "LicenseActivityBucket", Table: "UsageBuckets", Kind: "usageBuckets",
		RowDoc:  "LicenseActivityBucket is one device's activity on one key in one\n// 30-minute UTC bucket (ai/GetLicenseActivityBuckets).",
		RowTime: "bucketStartUtc", Usage: true,
		Load: &Load{Method: "LicenseActivityBuckets", API: "ai/GetLicenseActivityBuckets", Pager: "LicenseActivityBucketsForward", Rows: "Buckets", Store: "UsageBuckets",
			Doc: "returns ai/GetLicenseActivityBuckets for the\n// 30-minute buckets that start in span: per key, device and bucket, the\n// seat refreshes, deactivations and the gap since the device's previous\n// check-in."},
		Columns: []Column{
			{Wire: "id", Field: "ID", Kind: Int64, Parquet: "id", Frame: "ID", Doc: "the row's id, the paging cursor"},
			{Wire: "productId", Field: "ProductID", Kind: Int, Parquet: "product_id", Frame: "Product", Doc: "product"},
			{Wire: "keyId", Field: "KeyID", Kind: Int64, Parquet: "key_id", Frame: "Key ID", Doc: "the key's id"},
			{Wire: "key", Field: "Key", Kind: String, Parquet: "key", Frame: "Key", Doc: "license key string", Personal: Key},
			{Wire: "machineCode", Field: "MachineCode", Kind: String, Parquet: "machine_code", Frame: "Machine code", Doc: "device id", Personal: Machine},
			{Wire: "bucketStartUtc", Field: "BucketStartUtc", Kind: UsageTime, Parquet: "bucket_start", Frame: "Bucket start (UTC)", Doc: "unix seconds, a multiple of 1800"},
			{Wire: "refreshCount", Field: "RefreshCount", Kind: Int64, Parquet: "refresh_count", Frame: "Refreshes", Doc: "states 2010-2015: activations, seat refreshes"},
			{Wire: "deactivationCount", Field: "DeactivationCount", Kind: Int64, Parquet: "deactivation_count", Frame: "Deactivations", Doc: "states 6010, 6011"},
			{Wire: "firstEventUtc", Field: "FirstEventUtc", Kind: UsageTime, Parquet: "first_event", Frame: "First event (UTC)", Doc: "unix seconds"},
			{Wire: "lastEventUtc", Field: "LastEventUtc", Kind: UsageTime, Parquet: "last_event", Frame: "Last event (UTC)", Doc: "unix seconds"},
			{Wire: "lastEventState", Field: "LastEventState", Kind: Enum, Enum: "State", Parquet: "last_event_state", Frame: "Last state", Doc: "state code of the bucket's last event"},
			{Wire: "gapFromPreviousEventSeconds", Field: "GapFromPreviousEventSeconds", Kind: Seconds, Parquet: "gap_seconds", Frame: "Gap (s)",
				Doc: "the time since the device's previous event on the key, before this bucket; 0 for its first"},
		},
	},
}

// The inventory tables: the account's present state as product/GetProducts,
// product/GetKeys and customer/GetCustomers send it (field names from the
// official .NET SDK's Product, LicenseKey, ActivationData and Customer,
// matched in any letter case). A license's activated machines and its
// customer come nested in it; the machines are a table of their own,
// keyed by the license's id, and the license keeps its customer's id (the
// license's Nested members, which its generated decoder hands to
// pkg/cryptolens/inventorydecode.go). Times
// may come as unix seconds or ISO-8601 text, so they are UsageTime.
var inventoryLogs = []Log{
	{
		Name: "products", Title: "products", Row: "Product", Table: "Products", Kind: "products",
		RowDoc: "Product is one product of the account (product/GetProducts).", RowTime: "creationDate", Inventory: true,
		Load: &Load{Method: "Products", API: "product/GetProducts", Permission: "GetProducts", Rows: "Products", Store: "InventoryProducts", Product: "id",
			Doc: "returns the account's products (product/GetProducts), as of\n// its now. Product narrows it to one."},
		Columns: []Column{
			{Wire: "id", Field: "ID", Kind: Int64, Parquet: "id", Frame: "Product", Doc: "the product's id, as the logs carry it"},
			{Wire: "name", Field: "Name", Kind: String, Parquet: "name", Frame: "Name", Doc: "the name shown in the dashboard"},
			{Wire: "creationDate", Field: "CreationDate", Kind: UsageTime, Parquet: "creation_date", Frame: "Created (UTC)", Doc: "when the product was made, unix seconds"},
			{Wire: "description", Field: "Description", Kind: String, Plain: true, Parquet: "description", Frame: "Description", Doc: "the product's description"},
		},
	},
	{
		Name: "licenses", Title: "licenses", Row: "LicenseKey", Table: "Licenses", Kind: "licenses",
		RowDoc:  "LicenseKey is one license of the account as product/GetKeys sends it,\n// without its activated machines (an ActivatedMachine each) and with its\n// customer as the customer's id.",
		RowTime: "created", Inventory: true, Nested: []string{"customer", "activatedMachines"},
		Load: &Load{Method: "LicenseKeys", API: "product/GetKeys", Permission: "GetKeys", Rows: "Licenses", Store: "InventoryLicenses",
			Doc: "returns the account's licenses (product/GetKeys), as of its\n// now: key, product, created, expires, period, features, block, trial,\n// seat limit, customer id. Their activated machines are Machines; their\n// customers Customers. Product narrows it to one product."},
		Columns: []Column{
			{Wire: "id", Field: "ID", Kind: Int64, Parquet: "id", Frame: "License ID", Doc: "the license's id (the Object Log's affectedObjectId)"},
			{Wire: "productId", Field: "ProductID", Kind: Int, Parquet: "product_id", Frame: "Product", Doc: "the product it belongs to"},
			{Wire: "key", Field: "Key", Kind: String, Parquet: "key", Frame: "Key", Doc: "license key string", Personal: Key},
			{Wire: "created", Field: "Created", Kind: UsageTime, Parquet: "created", Frame: "Created (UTC)", Doc: "when the license was created, unix seconds"},
			{Wire: "expires", Field: "Expires", Kind: UsageTime, Parquet: "expires", Frame: "Expires (UTC)", Doc: "when it expires, unix seconds (a license without a time limit still has one)"},
			{Wire: "period", Field: "Period", Table: "PeriodDays", Kind: Int, Parquet: "period", Frame: "Period (days)", Doc: "its period in days"},
			{Wire: "f1", Field: "F1", Kind: Bool, Parquet: "f1", Frame: "F1", Doc: "feature 1 (often: time-limited)"},
			{Wire: "f2", Field: "F2", Kind: Bool, Parquet: "f2", Frame: "F2", Doc: "feature 2"},
			{Wire: "f3", Field: "F3", Kind: Bool, Parquet: "f3", Frame: "F3", Doc: "feature 3"},
			{Wire: "f4", Field: "F4", Kind: Bool, Parquet: "f4", Frame: "F4", Doc: "feature 4"},
			{Wire: "f5", Field: "F5", Kind: Bool, Parquet: "f5", Frame: "F5", Doc: "feature 5"},
			{Wire: "f6", Field: "F6", Kind: Bool, Parquet: "f6", Frame: "F6", Doc: "feature 6"},
			{Wire: "f7", Field: "F7", Kind: Bool, Parquet: "f7", Frame: "F7", Doc: "feature 7"},
			{Wire: "f8", Field: "F8", Kind: Bool, Parquet: "f8", Frame: "F8", Doc: "feature 8"},
			{Wire: "notes", Field: "Notes", Kind: String, Parquet: "notes", Frame: "Notes", Doc: "the vendor's notes", Personal: Text},
			{Wire: "block", Field: "Block", Kind: Bool, Parquet: "block", Frame: "Blocked", Doc: "blocked: every request with the key fails"},
			{Wire: "globalId", Field: "GlobalID", Kind: Int64, Parquet: "global_id", Frame: "Global ID", Doc: "the license's id across accounts"},
			{Wire: "customerId", Field: "CustomerID", Kind: Int64, Parquet: "customer_id", Frame: "Customer", Doc: "its customer's id (from the nested customer), 0 for none"},
			{Wire: "trialActivation", Field: "TrialActivation", Kind: Bool, Parquet: "trial_activation", Frame: "Trial", Doc: "a trial: expires a period after activation"},
			{Wire: "maxNoOfMachines", Field: "MaxNoOfMachines", Kind: Int, Parquet: "max_no_of_machines", Frame: "Max machines", Doc: "machines allowed (node-locked) or seats (floating); 0 means no limit"},
			{Wire: "allowedMachines", Field: "AllowedMachines", Kind: String, Parquet: "allowed_machines", Frame: "Allowed machines", Doc: "machine codes always allowed, one per line", Personal: Text},
			{Wire: "floating", Field: "Floating", Kind: Bool, Parquet: "floating", Frame: "Floating", Doc: "floating (seats, activated with a floating time interval); lenslog's reading: some activated machine has a floating expiry, or the vendor says so"},
		},
	},
	{
		Name: "machines", Title: "activated machines", Row: "ActivatedMachine", Table: "Machines", Kind: "machines",
		RowDoc:  "ActivatedMachine is one machine activated on a license, as its\n// activatedMachines list holds it, with the license it belongs to.",
		RowTime: "time", Inventory: true,
		Load: &Load{Method: "Machines", API: "product/GetKeys", Permission: "GetKeys", Rows: "Machines", Store: "InventoryMachines",
			Doc: "returns the machines activated on the account's licenses (each\n// license's activatedMachines), as of its now, one row per license and\n// machine. Product narrows it to one product."},
		Columns: []Column{
			{Wire: "licenseId", Field: "LicenseID", Kind: Int64, Parquet: "license_id", Frame: "License ID", Doc: "the license's id (from the license it is nested in)"},
			{Wire: "productId", Field: "ProductID", Kind: Int, Parquet: "product_id", Frame: "Product", Doc: "the license's product"},
			{Wire: "key", Field: "Key", Kind: String, Parquet: "key", Frame: "Key", Doc: "the license key string", Personal: Key},
			{Wire: "mid", Field: "Mid", Table: "MachineCode", Kind: String, Parquet: "machine_code", Frame: "Machine code", Doc: "the machine code", Personal: Machine},
			{Wire: "ip", Field: "IP", Kind: String, Parquet: "ip", Frame: "IP", Doc: "the IP it activated from", Personal: IP},
			{Wire: "time", Field: "Time", Kind: UsageTime, Parquet: "time", Frame: "Activated (UTC)", Doc: "when it was activated, unix seconds"},
			{Wire: "friendlyName", Field: "FriendlyName", Kind: String, Parquet: "friendly_name", Frame: "Friendly name", Doc: "device or seat label", Personal: Name},
			{Wire: "floatingExpires", Field: "FloatingExpires", Kind: UsageTime, Parquet: "floating_expires", Frame: "Floating expires (UTC)", Doc: "unix seconds its floating seat expires; 0 if not floating"},
		},
	},
	{
		Name: "customers", Title: "customers", Row: "Customer", Table: "Customers", Kind: "customers",
		RowDoc: "Customer is one customer of the account (customer/GetCustomers).", RowTime: "created", Inventory: true,
		Load: &Load{Method: "Customers", API: "customer/GetCustomers", Permission: "GetCustomers", Rows: "Customers", Store: "InventoryCustomers",
			Doc: "returns the account's customers (customer/GetCustomers), as\n// of its now."},
		Columns: []Column{
			{Wire: "id", Field: "ID", Kind: Int64, Parquet: "id", Frame: "Customer", Doc: "the customer's id"},
			{Wire: "name", Field: "Name", Kind: String, Parquet: "name", Frame: "Name", Doc: "the customer's name", Personal: Name},
			{Wire: "email", Field: "Email", Kind: String, Parquet: "email", Frame: "E-mail", Doc: "the customer's e-mail address", Personal: Email},
			{Wire: "companyName", Field: "CompanyName", Kind: String, Parquet: "company_name", Frame: "Company", Doc: "the customer's company", Personal: Name},
			{Wire: "created", Field: "Created", Kind: UsageTime, Parquet: "created", Frame: "Created (UTC)", Doc: "when the customer was added, unix seconds"},
			{Wire: "enableCustomerAssociation", Field: "EnableCustomerAssociation", Kind: Bool, Parquet: "enable_customer_association", Frame: "Portal", Doc: "the customer may sign up to the customer portal and see their licenses there (false where the server does not say)"},
		},
	},
	{
		Name: "inventory_changes", Title: "inventory changes", Row: "InventoryChange", Table: "InventoryChanges", Kind: "inventoryChanges",
		RowDoc:  "InventoryChange is one difference between two consecutive inventory\n// snapshots: lenslog's own table, computed, never sent by the API.",
		RowTime: "to", Inventory: true,
		Columns: []Column{
			{Wire: "id", Field: "ID", Kind: Int64, Parquet: "id", Frame: "#", Doc: "the change's number, in order of the snapshots, then object"},
			{Wire: "from", Field: "From", Kind: Time, Parquet: "from", Frame: "From snapshot (UTC)", Doc: "the earlier snapshot's time, unix seconds"},
			{Wire: "to", Field: "To", Kind: Time, Parquet: "to", Frame: "To snapshot (UTC)", Doc: "the later snapshot's time, unix seconds: the change happened in between"},
			{Wire: "table", Field: "Table", Kind: String, Parquet: "table", Frame: "Table", Doc: "products, licenses, machines or customers"},
			{Wire: "change", Field: "Change", Kind: String, Parquet: "change", Frame: "Change",
				Doc: "license added or removed, limit raised or lowered, expiry extended or shortened, blocked, unblocked, feature changed, trial converted, customer changed, machine added or removed, product or customer added or removed"},
			{Wire: "objectId", Field: "ObjectID", Kind: Int64, Parquet: "object_id", Frame: "Object ID", Doc: "the license's, product's or customer's id (a machine's license's)"},
			{Wire: "productId", Field: "ProductID", Kind: Int, Parquet: "product_id", Frame: "Product", Doc: "the product, for a license or machine"},
			{Wire: "key", Field: "Key", Kind: String, Parquet: "key", Frame: "Key", Doc: "the license key, for a license or machine", Personal: Key},
			{Wire: "machineCode", Field: "MachineCode", Kind: String, Parquet: "machine_code", Frame: "Machine code", Doc: "the machine, for a machine", Personal: Machine},
			{Wire: "field", Field: "Field", Kind: String, Parquet: "field", Frame: "Field", Doc: "the field that changed, as the API names it (MaxNoOfMachines, Expires, Block, F1..F8, ...)"},
			{Wire: "old", Field: "Old", Kind: String, Parquet: "old", Frame: "Was", Doc: "its value in the earlier snapshot (times as RFC 3339)"},
			{Wire: "new", Field: "New", Kind: String, Parquet: "new", Frame: "Is", Doc: "its value in the later snapshot"},
			{Wire: "objectLogId", Field: "ObjectLogID", Kind: Int64, Parquet: "object_log_id", Frame: "Object Log ID", Doc: "the Object Log entry that made the change between the two snapshots, 0 where the log has none"},
			{Wire: "changedBy", Field: "ChangedBy", Kind: String, Parquet: "changed_by", Frame: "Changed by", Doc: "that entry's performedByUserId, from the Object Log as loaded (a pseudonym already when redacting)"},
		},
	},
}

// Check reports the first mistake in the description that would generate
// wrong or uncompilable code: a log whose first column is not its int64
// id, that has no row time, or repeats a wire, Go or Parquet name; a
// column with fields that do not fit its kind, or added (Since) at a
// format before BaseFormat+1.
func Check() error {
	seenLog := map[string]bool{}
	for _, l := range Logs {
		if l.Name == "" || l.Row == "" || l.Table == "" || l.Kind == "" || seenLog[l.Name] {
			return fmt.Errorf("log %q: needs a unique Name, and Row, Table and Kind", l.Name)
		}
		seenLog[l.Name] = true
		if len(l.Columns) == 0 || l.Columns[0].Kind != Int64 || l.Columns[0].Since != 0 {
			return fmt.Errorf("log %s: the first column must be the int64 id, there from the start", l.Name)
		}
		times, rowTime := 0, false
		seen := map[string]bool{}
		for _, c := range l.Columns {
			if err := c.check(); err != nil {
				return fmt.Errorf("log %s: column %q: %w", l.Name, c.Wire, err)
			}
			for _, n := range []string{"wire " + c.Wire, "field " + c.Field, "table " + c.TableField(), "parquet " + c.Parquet, "frame " + c.Frame} {
				if seen[n] {
					return fmt.Errorf("log %s: %s appears twice", l.Name, n)
				}
				seen[n] = true
			}
			if c.Kind == Time {
				times++
			}
			if c.Wire == l.RowTime && (c.Kind == Time || c.Kind == UsageTime) {
				rowTime = true
			}
		}
		for _, n := range l.Nested {
			if seen["wire "+n] {
				return fmt.Errorf("log %s: nested member %s appears twice, or is a column too", l.Name, n)
			}
			seen["wire "+n] = true
		}
		if l.Load != nil {
			if err := l.Load.check(l); err != nil {
				return fmt.Errorf("log %s: Load: %w", l.Name, err)
			}
		}
		switch {
		case l.RowTime != "" && !rowTime:
			return fmt.Errorf("log %s: RowTime %q names no Time or UsageTime column", l.Name, l.RowTime)
		case l.RowTime == "" && times != 1:
			return fmt.Errorf("log %s: has %d Time columns, want exactly one (the row time) or a RowTime", l.Name, times)
		}
	}
	return nil
}

// check reports what a load of table l lacks.
func (ld *Load) check(l Log) error {
	switch {
	case l.Inventory && (ld.Method == "" || ld.Doc == "" || ld.API == "" || ld.Permission == "" || ld.Rows == "" || ld.Store == ""):
		return errors.New("an inventory table's needs Method, Doc, API, Permission, Rows and Store")
	case l.Inventory && ld.Product != "":
		if c, ok := l.column(ld.Product); !ok || c.Kind != Int && c.Kind != Int64 {
			return fmt.Errorf("its Product, %q, names no Int or Int64 column", ld.Product)
		}
		return nil
	case l.Inventory:
		return nil
	case ld.Method == "" || ld.Doc == "" || ld.API == "" || ld.Pager == "" || ld.Rows == "" || ld.Store == "":
		return errors.New("needs Method, Doc, API, Pager, Rows and Store")
	case ld.From == "":
		return nil
	}
	for _, c := range l.Columns {
		if c.Wire == ld.From && (c.Kind == Time || c.Kind == UsageTime) {
			return nil
		}
	}
	return fmt.Errorf("its From, %q, names no Time or UsageTime column", ld.From)
}

// column returns l's column with wire name wire, if any.
func (l Log) column(wire string) (Column, bool) {
	for _, c := range l.Columns {
		if c.Wire == wire {
			return c, true
		}
	}
	return Column{}, false
}

// ProductColumn returns the column a Product filter matches on l: its
// Load's Product, else productId; false when it has neither.
func (l Log) ProductColumn() (Column, bool) {
	if l.Load != nil && l.Load.Product != "" {
		return l.column(l.Load.Product)
	}
	return l.column("productId")
}

// TableField returns the column's field in the table type.
func (c Column) TableField() string {
	if c.Table != "" {
		return c.Table
	}
	return c.Field
}

func (c Column) check() error {
	switch {
	case c.Wire == "" || c.Field == "" || c.Parquet == "" || c.Frame == "":
		return errors.New("needs Wire, Field, Parquet and Frame")
	case c.Kind < Int64 || c.Kind > Seconds:
		return fmt.Errorf("unknown kind %d", c.Kind)
	case (c.Kind == Enum) != (c.Enum != ""):
		return errors.New("the Enum field names the type of an Enum column, and only of one")
	case c.Named && c.Kind != Enum:
		return errors.New("only an Enum column can be Named")
	case c.Plain && c.Kind != String && c.Kind != Raw:
		return errors.New("only a text column can be Plain")
	case c.Delta && c.Kind != Int64:
		return errors.New("only an Int64 column can be Delta")
	case c.Since != 0 && c.Since <= BaseFormat:
		return fmt.Errorf("a column added later needs Since after format %d, not %d", BaseFormat, c.Since)
	case c.Since == LayoutFormat:
		return fmt.Errorf("format %d added no column; a column added later needs Since after it", LayoutFormat)
	case c.Personal == UserID && c.Kind != Int64:
		return errors.New("a UserID column holds int64 ids")
	case c.Personal != NotPersonal && c.Personal != UserID && c.Kind != String && c.Kind != Raw:
		return errors.New("a personal column other than UserID holds text")
	case c.Personal != NotPersonal && c.Personal != UserID && c.Personal != Text && (c.Kind != String || c.Plain):
		return errors.New("an identifier column (key, machine, IP, name, user) is a String, not Plain: tables hold it as codes, which redaction maps")
	}
	return nil
}
