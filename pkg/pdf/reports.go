package pdf

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/lenslog/lenslog/pkg/ipynb"
)

// PrintReports writes NAME.pdf beside every report page NAME.html under
// dir (its folders too) that has its executed notebook NAME.ipynb beside
// it, the footer naming the report, its parameters and its provenance
// fingerprint (ipynb.Notebook.PrintFooter). It returns the PDFs written.
func PrintReports(dir string, opts Options) ([]string, error) {
	var pages []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".html" {
			return err
		}
		if _, err := os.Stat(strings.TrimSuffix(path, ".html") + ".ipynb"); err == nil {
			pages = append(pages, path)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("pdf: %w", err)
	}
	if len(pages) == 0 {
		return nil, nil
	}
	p, err := Start(opts)
	if err != nil {
		return nil, err
	}
	defer p.Close()
	var written []string
	for _, page := range pages {
		stem := strings.TrimSuffix(page, ".html")
		nb, err := ipynb.ReadFile(stem + ".ipynb")
		if err != nil {
			return written, fmt.Errorf("pdf: %w", err)
		}
		if err := p.Print(page, stem+".pdf", nb.PrintFooter("")); err != nil {
			return written, err
		}
		written = append(written, stem+".pdf")
	}
	return written, nil
}
