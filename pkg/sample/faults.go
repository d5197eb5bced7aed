package sample

import (
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Fault is one kind of failure the server can inject, as clients of the
// real service meet them.
type Fault int

// The faults. Transient is Cryptolens' own "try again" answer; the HTTP
// statuses are what a proxy or an overloaded server sends; the body faults
// break the JSON; Slow answers correctly after Faults.Delay.
const (
	FaultTransient       Fault = iota + 1 // 200 {"result":1,"message":"Something went wrong. Please contact support@cryptolens.io ..."}
	FaultServerError                      // 500 with a JSON message
	FaultBadGateway                       // 502 with an HTML page
	FaultUnavailable                      // 503 with a text body and Retry-After
	FaultTooManyRequests                  // 429 with Retry-After: 1
	FaultTruncated                        // the right answer cut in half (the connection closes early)
	FaultNotJSON                          // 200 with an HTML page
	FaultMessageOnly                      // 200 {"message":"An error has occurred."}: no result, no rows
	FaultSlow                             // the right answer after Faults.Delay
)

// MsgTransient is the message of FaultTransient; clients should retry it.
const MsgTransient = "Something went wrong. Please contact support@cryptolens.io if the problem persists."

var faultNames = map[Fault]string{
	FaultTransient: "transient", FaultServerError: "500", FaultBadGateway: "502",
	FaultUnavailable: "503", FaultTooManyRequests: "429", FaultTruncated: "truncated",
	FaultNotJSON: "not-json", FaultMessageOnly: "message-only", FaultSlow: "slow",
}

// String names the fault as the serve command's flags spell it.
func (f Fault) String() string {
	if n, ok := faultNames[f]; ok {
		return n
	}
	return "Fault(" + strconv.Itoa(int(f)) + ")"
}

// AllFaults lists every fault kind.
func AllFaults() []Fault {
	return []Fault{FaultTransient, FaultServerError, FaultBadGateway, FaultUnavailable,
		FaultTooManyRequests, FaultTruncated, FaultNotJSON, FaultMessageOnly, FaultSlow}
}

// ParseFault returns the fault a name (as String spells it) stands for.
func ParseFault(name string) (Fault, error) {
	for f, n := range faultNames {
		if n == name {
			return f, nil
		}
	}
	return 0, fmt.Errorf("unknown fault %q (want one of transient, 500, 502, 503, 429, truncated, not-json, message-only, slow)", name)
}

// Faults switches fault injection on: each request fails with probability
// Rate, with a kind drawn from Kinds (all kinds when empty). The draws
// follow Seed and the order of requests, so a sequential client meets the
// same faults on every run. Latency delays every request, as the round
// trip to the real API over the internet does. The zero value injects
// nothing.
type Faults struct {
	Rate  float64       // share of requests that fail, 0..1
	Seed  int64         // seeds the draws
	Kinds []Fault       // kinds to draw from; empty means AllFaults()
	Delay time.Duration // how long FaultSlow waits; 0 means 2s
	// Latency is how long every request waits before it is answered
	// (faulty ones included); 0 means at once.
	Latency time.Duration
}

// SetFaults switches fault injection at run time; it restarts the
// sequence of draws. It is safe to call while requests are served.
func (s *Server) SetFaults(f Faults) { s.faults.set(f) }

// faultState is the server's current Faults and how many draws it made.
type faultState struct {
	mu sync.Mutex
	f  Faults
	n  uint64
}

func (fs *faultState) set(f Faults) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	f.Kinds = append([]Fault(nil), f.Kinds...)
	if len(f.Kinds) == 0 {
		f.Kinds = AllFaults()
	}
	if f.Delay <= 0 {
		f.Delay = 2 * time.Second
	}
	fs.f, fs.n = f, 0
}

// next draws the fault for the next request, 0 for none.
func (fs *faultState) next() Fault {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if fs.f.Rate <= 0 {
		return 0
	}
	fs.n++
	u := splitmix(uint64(fs.f.Seed) ^ fs.n*0x9e3779b97f4a7c15)
	if float64(u>>11)/(1<<53) >= fs.f.Rate {
		return 0
	}
	return fs.f.Kinds[splitmix(u)%uint64(len(fs.f.Kinds))]
}

// sleep waits the slow-response delay; false if the client gave up first.
func (fs *faultState) sleep(r *http.Request) bool {
	fs.mu.Lock()
	d := fs.f.Delay
	fs.mu.Unlock()
	return wait(r, d)
}

// latency waits the per-request latency; false if the client gave up first.
func (fs *faultState) latency(r *http.Request) bool {
	fs.mu.Lock()
	d := fs.f.Latency
	fs.mu.Unlock()
	return d <= 0 || wait(r, d)
}

// wait waits d, or until r's client gives up (then false).
func wait(r *http.Request, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// splitmix is the SplitMix64 finalizer: a well-mixed hash of x.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// writeFault answers with a fault that replaces the whole response.
func writeFault(w http.ResponseWriter, f Fault) {
	h := w.Header()
	switch f {
	case FaultTransient:
		writeBody(w, http.StatusOK, errorBody(MsgTransient))
	case FaultServerError:
		writeBody(w, http.StatusInternalServerError, []byte(`{"message":"An error has occurred."}`))
	case FaultBadGateway:
		h.Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		fmt.Fprint(w, "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>")
	case FaultUnavailable:
		h.Set("Retry-After", "1")
		http.Error(w, "Service Unavailable", http.StatusServiceUnavailable)
	case FaultTooManyRequests:
		h.Set("Retry-After", "1")
		http.Error(w, "Too Many Requests", http.StatusTooManyRequests)
	case FaultNotJSON:
		h.Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusOK)
		fmt.Fprint(w, "<!DOCTYPE html><html><body><p>The service is temporarily unavailable.</p></body></html>")
	case FaultMessageOnly:
		writeBody(w, http.StatusOK, []byte(`{"message":"An error has occurred."}`))
	}
}

// writeTruncated declares the whole body but sends only its first half;
// net/http then closes the connection, so the client sees it end early.
func writeTruncated(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	w.Write(body[:len(body)/2]) //nolint:errcheck // the cut is the point
}
