// Package cryptolens speaks the Cryptolens Web API for the three logs an
// account keeps, and holds their wire types.
//
// # The logs
//
// The Web API Log (method ai/GetWebAPILog) has one row per API request that
// changed a license or a data object: activations, deactivations, key
// creation, data-object operations. Each row carries a four-digit [State]
// code. Rows are kept indefinitely. Pages hold at most 1000 rows.
//
// The Events Log (ai/GetEvents) holds events that applications register:
// feature usage, OS metadata, purchases. Money arrives times 100 (25.30 USD
// is value 2530, currency "USD"). Events are kept at least 30 days. Pages
// hold at most 100 rows.
//
// The Object Log (ai/GetObjectLog) is the audit trail of objects added,
// updated or deleted by the account's users. An update's Data maps each
// changed field to a two-element array [old, new]. It is kept 30 days, has
// no filters and only a forward cursor. Pages hold at most 100 rows.
//
// # Usage Analytics
//
// Five methods added in May 2026 return aggregates Cryptolens builds from
// the Web API Log: per day ([Client.DailyAggregates]), per day and country
// ([Client.DailyCountryAggregates]), lifetime totals per key
// ([Client.KeyUsageSummaries]), devices per key ([Client.KeyDevices]) and
// 30-minute activity per license and device
// ([Client.LicenseActivityBuckets]), each with a Forward pager. They need
// a token with the "Usage Analytics" permission ([UsagePermission]), are
// updated asynchronously (the newest day may be incomplete) and leave out
// keys excluded from analytics (test licenses). See usage.go.
//
// # The inventory
//
// What was sold, as it is now: the products ([Client.Products],
// product/GetProducts), the licenses with their customers and activated
// machines ([Client.Keys], product/GetKeys, 99 a page, and its pager
// [Client.AllKeys]; [Client.CustomerLicenses] for one customer's) and the
// customers ([Client.Customers]). Each method needs its own permission
// (GetProducts, GetKeys, GetCustomers, GetCustomerLicenses), which an
// access-denied error names. Field names match in any letter case, as the
// official .NET SDK reads them and the signed license format spells them
// (ProductId, ID, MaxNoOfMachines). A license's nested customer and
// machines come apart into [LicenseEntry]: the flat [LicenseKey], its
// [Customer] and its [ActivatedMachine]s. See inventory.go.
//
// # Wire conventions
//
// Requests go to <base>/ai/<Method> as GET with a query string or POST with a
// form body; method paths and parameter names are case-insensitive, and 0 or
// "" mean "no filter". The access token travels in the token parameter; this
// package always sends it in a POST body and never prints it. Every response
// is a JSON object with result (0 ok, 1 error), message, and the payload
// array (logs or events). Any field may be null and unknown fields are
// ignored.
//
// # Paging
//
// Rows have increasing ids. StartingAfter=id returns rows with larger ids,
// oldest first; EndingBefore=id returns rows with smaller ids, newest first.
// The Web API Log cannot be cut by time on every server, so a reader that
// pages backwards stops itself at its cut-off; as row times need not fall
// with ids, it stops only at a page lying wholly before the cut
// ([PageBefore]).
//
// # The client
//
// [Client] fetches one page at a time ([Client.WebAPILog], [Client.Events],
// [Client.ObjectLog]) or pages for you: the Backward pagers go newest first
// and stop at a time cut-off, the Forward pagers go oldest first from a
// cursor until an empty page (the Object Log has only this one). Pagers
// deduplicate rows by id. Transient faults (network errors, timeouts, 5xx,
// 429, truncated or non-JSON bodies, "Something went wrong") are retried
// with bounded exponential backoff and jitter; authentication, permission
// and input errors are not, and come back as errors that [errors.Is] tests
// against [ErrUnauthenticated], [ErrAccessDenied], [ErrBadInput],
// [ErrNoSubscription] and [ErrNoMethod] (a 404: the server lacks the
// method). [Client.Waiting] hears of each wait before a retry.
//
// The package reads no environment variable: the token and base URL are
// given to it ([ReadTokenFile] and [TokenFromDir] read the SDKs' token
// file where the caller says; the lenslog package's Config decides which).
// A [Token] prints as "[token redacted]" and is scrubbed from every error
// in every spelling a server could echo it ([Scrub]: any letter case,
// percent, JSON, Go and HTML escapes in layers, hex, base64). User info in
// the base URL is sent as Basic authentication and never shown.
// [AccountOf] is an account's one identity (the URL without user info,
// spelled one way, and a fingerprint), which the store and reports use.
package cryptolens
