package logs

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
)

// writeCSV writes a table row by row with the column names as header, and
// wraps the first error with the row it happened on.
func writeCSV(w io.Writer, header []string, n int, row func(i int, rec []string)) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("write csv header: %w", err)
	}
	rec := make([]string, len(header))
	for i := 0; i < n; i++ {
		row(i, rec)
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("write csv row %d: %w", i+1, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

func itoa[T ~int | ~int64](x T) string { return strconv.FormatInt(int64(x), 10) }

// WriteCSV writes the table as CSV with the API's field names as header,
// times as UTC text (TimeLayout) and empty cells for absent values.
func (t *WebAPI) WriteCSV(w io.Writer) error {
	header := []string{"id", "time", "productId", "key", "ip", "state", "machineCode",
		"friendlyName", "floatingExpires", "doIntValue", "doId"}
	return writeCSV(w, header, t.Len(), func(i int, r []string) {
		r[0], r[1], r[2], r[3] = itoa(t.ID[i]), timeText(t.Time[i]), itoa(t.ProductID[i]), t.Key[i]
		r[4], r[5], r[6], r[7] = t.IP[i], itoa(t.State[i]), t.MachineCode[i], t.FriendlyName[i]
		r[8], r[9], r[10] = timeText(t.FloatingExpires[i]), itoa(t.DOIntValue[i]), itoa(t.DOID[i])
	})
}

// WriteCSV writes the events as CSV with the API's field names as header;
// value stays in hundredths, as the API sends it.
func (t *Events) WriteCSV(w io.Writer) error {
	header := []string{"id", "time", "productId", "key", "machineCode", "featureName",
		"eventName", "value", "currency", "metadata"}
	return writeCSV(w, header, t.Len(), func(i int, r []string) {
		r[0], r[1], r[2], r[3] = itoa(t.ID[i]), timeText(t.Time[i]), itoa(t.ProductID[i]), t.Key[i]
		r[4], r[5], r[6] = t.MachineCode[i], t.FeatureName[i], t.EventName[i]
		r[7], r[8], r[9] = itoa(t.Value[i]), t.Currency[i], t.Metadata[i]
	})
}

// WriteCSV writes the Object Log as CSV with the API's field names as header
// and resource types and actions by name.
func (t *Objects) WriteCSV(w io.Writer) error {
	header := []string{"id", "created", "resourceType", "resourceAction", "affectedObjectId",
		"objectOwnerUserId", "performedByUserId", "data"}
	return writeCSV(w, header, t.Len(), func(i int, r []string) {
		r[0], r[1], r[2], r[3] = itoa(t.ID[i]), timeText(t.Time[i]), t.ResourceType[i].String(), t.ResourceAction[i].String()
		r[4], r[5], r[6], r[7] = itoa(t.AffectedObjectID[i]), itoa(t.ObjectOwnerUserID[i]), t.PerformedByUserID[i], t.Data[i]
	})
}
