package notebooks

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/format"
)

// TestCustomerReportSet runs notebook 14 once per customer of
// customers.yaml, as a user would (`kernel report -f customers.yaml
// 14-customer.ipynb`): each customer gets its own folder, whose report
// names that customer and prints its figures as recounted from the served
// license list, and the run index lists the three runs.
func TestCustomerReportSet(t *testing.T) {
	if testing.Short() {
		t.Skip("runs notebook 14 through GoNB three times: slow")
	}
	setSampleEnv(t)
	out := t.TempDir()
	kernel(t, "report", "-out", out, "-f", abs(t, "customers.yaml"), abs(t, "14-customer.ipynb"))
	ref := loadReference(t)
	times := keyTimes(ref.web, ref.now.Add(-90*day), ref.now)
	index, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{52000, 52004, 52001} {
		t.Run(fmt.Sprint(id), func(t *testing.T) {
			dir := fmt.Sprintf("customer-%d", id)
			nb := readExecuted(t, filepath.Join(out, dir, "14-customer.ipynb"))
			checkCells(t, nb)
			var mine []listedLicense
			for _, l := range ref.listed {
				if l.customer == id {
					mine = append(mine, l)
				}
			}
			if len(mine) == 0 {
				t.Fatalf("customer %d has no license in the served list: fix customers.yaml", id)
			}
			checkPrinted(t, nb, customerLines(mine, times, ref.now))
			if !strings.Contains(string(index), `href="`+dir+`/index.html"`) {
				t.Errorf("reports/index.html does not list %s", dir)
			}
		})
	}
}

// customerLines are notebook 14's lines for one customer's licenses.
func customerLines(mine []listedLicense, times map[string][]time.Time, now time.Time) []string {
	seats, activated := seatsOf(mine)
	in90, _, _, _ := useCounts(mine, times, now, 90)
	return []string{
		fmt.Sprintf("Customer: %s; licenses: %s;", mine[0].company, format.Count(len(mine))),
		fmt.Sprintf("Seats purchased: %s; activated: %s;", format.Count(seats), format.Count(activated)),
		fmt.Sprintf("Expiring within 90 days: %s;", format.Count(in90)),
	}
}
