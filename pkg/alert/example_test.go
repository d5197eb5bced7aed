package alert_test

import (
	"fmt"
	"time"

	"github.com/lenslog/lenslog/pkg/alert"
	"github.com/lenslog/lenslog/pkg/analysis"
	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
)

// A week of requests by hand: key A fails 3 times out of 4 on the last
// day, after days in which it failed once in 20; key B is used from three
// machines.
func exampleInput() *alert.Input {
	now := time.Date(2026, 10, 8, 12, 0, 0, 0, time.UTC)
	api := &logs.WebAPI{}
	id := int64(0)
	add := func(at time.Time, key, machine string, state cryptolens.State) {
		id++
		api.Append(cryptolens.WebAPILogRow{ID: id, Time: at.Unix(), Key: key, MachineCode: machine, State: state, ProductID: 3349})
	}
	for d := 7; d >= 2; d-- {
		for i := range 10 {
			state := cryptolens.State(2010)
			if i == 0 && d%2 == 0 {
				state = 2020
			}
			add(now.Add(-time.Duration(d)*24*time.Hour+time.Duration(i)*time.Minute), "A", "m1", state)
		}
	}
	for i, s := range []cryptolens.State{2020, 2020, 2010, 2020} {
		add(now.Add(-time.Duration(i+1)*time.Hour), "A", "m1", s)
	}
	for _, m := range []string{"m2", "m3", "m4"} {
		add(now.Add(-30*time.Minute), "B", m, 2010)
	}
	return &alert.Input{Logs: analysis.HealthInput{Now: now, WebAPI: api}}
}

func ExampleEvaluate() {
	rules, err := alert.Parse("rules.yaml", []byte(`
rules:
  - name: failures-up
    kind: failure-share
    above: 40%
    times: 2
    min-rows: 4
  - name: shared
    kind: machines-per-key
    above: 2
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	rep := alert.Evaluate(rules, exampleInput())
	for _, r := range rep.Results {
		fmt.Println(r)
	}
	fmt.Println(rep.Fired, "fired")
	// Output:
	// FIRED failures-up (failure-share): 42.9% of 7 requests failed in the last 24h; 5.0% in the 7d before: above 40.0% and above 2× the 7d before
	// FIRED shared (machines-per-key): 1 key used from more than 2 machines in the last 30d
	// 2 fired
}

func ExampleParse() {
	_, err := alert.Parse("rules.yaml", []byte(`
rules:
  - name: quiet-day
    kind: day-without-rows
    hours: 3
`))
	fmt.Println(err)
	// Output:
	// rules.yaml:5: rule "quiet-day": field "hours": not a field of kind day-without-rows; kind day-without-rows takes window, log
}
