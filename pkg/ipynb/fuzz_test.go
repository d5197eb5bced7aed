package ipynb

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"
)

// FuzzRead checks that Parse never panics, and that whatever it accepts is
// written as a notebook that parses back to the same content.
func FuzzRead(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "*.ipynb"))
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(doc(`{"cell_type": "code", "source": ["a", "b"], "outputs": [{"output_type": "stream", "name": "x", "text": ["y"]}]}`)))
	f.Add([]byte(`{"nbformat": 4, "cells": [], "metadata": {"language_info": {"name": "go", "codemirror_mode": {"name": "go"}}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		nb, err := Parse(data)
		if err != nil {
			return
		}
		var first bytes.Buffer
		if err := Write(&first, nb); err != nil {
			t.Fatalf("write accepted notebook: %v", err)
		}
		again, err := Parse(first.Bytes())
		if err != nil {
			t.Fatalf("written notebook does not parse: %v\n%s", err, first.Bytes())
		}
		var second bytes.Buffer
		if err := Write(&second, again); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first.Bytes(), second.Bytes()) {
			t.Fatalf("write is not stable:\n%s\n---\n%s", first.Bytes(), second.Bytes())
		}
	})
}

// FuzzMarkdown checks that the markdown renderer never panics and never
// lets a tag from its input through.
func FuzzMarkdown(f *testing.F) {
	for _, s := range []string{"# T\n\n- a\n  - b\n\n| a | b |\n|---|--:|\n| 1 | 2 |", "**a _b_** `c` [d](e) ![f](data:image/png;base64,AA)", "> q\n```\n<x>\n```"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, md string) {
		out := strings.ToLower(MarkdownHTML(md))
		for _, bad := range []string{"<script", "<iframe", "<style", "javascript:"} {
			if strings.Contains(out, bad) {
				t.Fatalf("MarkdownHTML(%q) = %q contains %q", md, out, bad)
			}
		}
	})
}

// FuzzSanitizeHTML checks that sanitised HTML holds no script, frame or
// event handler, whatever the input.
func FuzzSanitizeHTML(f *testing.F) {
	for _, s := range []string{`<b onclick="x">a</b><script>y</script>`, `<svg><a href="javascript:x">l</a></svg>`, `<style>@import "x";</style>`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := SanitizeHTML(in)
		// Parse the output as a browser would and inspect every tag.
		z := xhtml.NewTokenizer(strings.NewReader(out))
		for tt := z.Next(); tt != xhtml.ErrorToken; tt = z.Next() {
			tok := z.Token()
			if tt != xhtml.StartTagToken && tt != xhtml.SelfClosingTagToken {
				continue
			}
			if dropWithContent[tok.Data] {
				t.Fatalf("SanitizeHTML(%q) = %q keeps <%s>", in, out, tok.Data)
			}
			for _, a := range tok.Attr {
				key, v := strings.ToLower(a.Key), strings.ToLower(strings.TrimSpace(a.Val))
				if strings.HasPrefix(key, "on") || urlAttrs[key] && strings.HasPrefix(v, "javascript:") {
					t.Fatalf("SanitizeHTML(%q) = %q keeps %s=%q", in, out, a.Key, a.Val)
				}
			}
		}
	})
}
