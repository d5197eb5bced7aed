// Package sample makes a realistic Cryptolens account to learn and test
// with, and serves it over HTTP exactly as the Cryptolens Web API does.
//
// # The sample account
//
// Generate(Options{}) returns the default account: 120 days of history
// ending now, about 100 000 Web API Log rows, and the same account every
// time for the same options (Seed, End, Days, WebAPIRows). It sells four
// products (PixelForge Studio 3349, PixelForge CLI 3350, RenderGrid Server
// 4812, FieldNotes Mobile 5377) to a few hundred customers in Europe, the
// US and Japan, each working in its own time zone: traffic follows office
// hours and is five times quieter at weekends.
//
// Licenses (keys look like ABCDE-FGHIJ-KLMNO-PQRST) are of two kinds.
// Node-locked keys allow 1 to 10 machines; their application activates on
// every start (2010 the first time, then mostly 2011, some 2012 and 2013).
// Failures follow from what happens to the key: 2021 after it was blocked,
// 2022 once it expired (trials run 14 days; a quarter are extended with
// 7010), 2023 for one machine too many, 2020 now and then; users retry a
// few times and eventually give up. Floating keys have 2 to 10 seats and a
// floating interval (usually an hour): a client takes a seat when it starts
// (2014, floatingExpires = time + interval), refreshes it (2014 again) every
// 35 to 55 minutes of use, and at the end releases it (6011) or lets it
// expire; when all seats are taken it gets 2024 and retries a few minutes
// later, or 2015 on keys that allow overdraft. The seats always add up: a
// seat audit that replays 2014, 2015, 6011 and 2024 with the expiry times
// never sees more seats in use than the limit plus the overdraft.
//
// Around that: keys created during the history (3010, with machineCode
// null), optional-field calls (4010/4011, 4020/4021), license changes
// (7010/7020), node-locked deactivations (6010, 6020), a few validations
// (1010/1020), and metered usage on CLI and Server keys: 8010 rows whose
// doIntValue is the units used and doId the key's data object. About 87%
// of all rows succeed. Caller IPs are anonymized (last octet 0).
//
// The Events Log holds the last 45 days: feature usage (featureName such as
// "Export", eventName "click", "open" or "complete"), an "Application"
// "start" event with OS metadata ({"OS":"Windows 11","Arch":"x64"}) and
// purchases (value times 100, currency USD, EUR or SEK). The Object Log
// holds the last 60 days of dashboard changes by the owner (user 24817),
// two team members (31244, 31245) and a reseller (40211): keys, customers,
// data objects and products added, updated ({"MaxNoOfMachines":[3,5]}) and
// deleted.
//
// # Licenses, customers and the inventory
//
// Account.Licenses is the license list (key, id, product, seat limit,
// created, expiry, customer, trial, when it was extended or blocked) and
// Account.Customers the customers (id, name, e-mail). Account.Inventory
// is what product/GetProducts, product/GetKeys and customer/GetCustomers
// serve, derived from them and from the Web API Log without drawing
// anything, so adding it changed no row of the logs (inventory.go says
// each rule): a license's activated machines are those its log shows
// activated and not deactivated (node-locked) or holding an unexpired
// seat (floating) at the end. A trial is a license with TrialActivation
// (period 14, F1); a trial that converted was extended before it ran out
// (its 7010) and is a trial no more, expiring a year after its trial
// would have; a trial that lapsed keeps TrialActivation with its expiry
// passed (or within the next 14 days, for the newest). Licenses without a
// time limit in the logs are annual subscriptions when their next renewal
// falls within 245 days of the end (some within 30, 60 and 90 days: the
// renewals to chase) and perpetual otherwise. The blocked key is blocked.
// InventoryAt gives the inventory at an earlier instant, InventoryTimes
// the weekly snapshot times over the Object Log's 60 days.
//
// # Planted facts
//
// Account.Planted names what an analysis should find: two shared keys used
// by dozens of machines from dozens of IPs, a key with a burst of about 55
// "no free seat" failures (2024) within an hour nine days before the end,
// three keys silent for the last 34, 45 and 56 days, two floating keys that
// use overdraft (2015) and a key blocked 20 days before the end.
//
// The blocked key's whole story is in the logs: created 50 days before the
// end (its Added copy in the Object Log links the key to its object id),
// activated by a team of five, blocked (an Object Log update
// {"Block":[false,true]} and a 7010), then 2021 on every start until its
// users give up. Twelve days before the end a team member changes a
// setting of FieldNotes Mobile and its activations fail with 2020 about
// ten times as often, until the owner reverts it three days later.
//
// Three data problems are planted too, for data-health checks to find
// (Options.Clean leaves them out): a whole UTC day 27 days before the end
// without a row in any log (an outage), five back-office rows logged with a
// clock minutes to hours behind (out of time order, 47 to 95 days before
// the end), and five rows with undocumented state codes (4030, 7090, 9011).
//
// # Hostile data
//
// Options.Hostile plants strings the caller gives (XSS payloads, say)
// where customers' devices write: friendly names and machine codes of the
// newest Web API rows (and the keys of a few), every friendly name of the
// shared keys, the names, machine codes and metadata (JSON or not) of the
// newest events, and the data of the newest Object Log entries.
// Planted.Hostile names those rows. The rest of the account is unchanged.
//
// # Unusual accounts
//
// Options.Content leaves rows out, for tests of what a user's account may
// be: NoRows (products and licenses, not one row in any log) and
// OnlyFailures (only the failed Web API requests, no events).
//
// # The server
//
// NewServer serves an account at <base>/api/ai/GetWebAPILog, GetEvents and
// GetObjectLog, so a client (or the Python SDK) can be pointed at it; the
// kernel program's serve command runs one. It also serves the five Usage
// Analytics methods (ai/GetDailyAggregates, GetDailyCountryAggregates,
// GetKeyUsageSummaries, GetKeyDevices, GetLicenseActivityBuckets), derived
// from the same Web API Log so the figures agree (Account.Usage): test
// licenses (Account.AnalyticsExcluded) are left out, the figures trail the
// newest row by UsageLag, and a country comes from each row's IP
// (CountryOf). AddLogOnlyToken adds a token without the "Usage Analytics"
// permission. It serves the inventory at <base>/api/product/GetProducts,
// product/GetKeys (99 a page past 100, by Page, with OrderBy and
// SearchQuery), customer/GetCustomers and customer/GetCustomerLicenses,
// each a permission of its own (Live.Tokens grants them by those names);
// EditInventory and LogChange plant changes a vendor would make in the
// dashboard. SetFaults makes it fail the way
// the real service and the network do, for testing retries.
//
// # A live-like account
//
// SetLive(Live{...}) makes the server behave like a live account rather
// than a fixed one: new Web API rows and events arrive every Live.Every
// (ids increasing, times at the wall clock's now), further tokens are
// accepted with only the methods Live.Tokens grants them ("Access denied"
// for the others, "Unable to authenticate" for an unknown token), methods
// in Live.Missing answer 404, Live.Stall hangs requests (headers never
// sent, or the body trickling a byte at a time), and Live.Echo sends the
// token back in a message, a redirect's Location, a header or a JSON
// field name, in any Spelling (FindSpelling is the matching oracle for
// tests). The serve command's -live-every, -grant, -missing, -stall and
// -echo flags set it.
package sample
