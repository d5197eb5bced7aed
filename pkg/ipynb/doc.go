// Package ipynb reads, writes and renders Jupyter notebooks in the nbformat 4
// JSON format.
//
// A notebook file is a JSON object with four keys:
//
//	{
//	 "cells": [ ... ],
//	 "metadata": {"kernelspec": {...}, "language_info": {...}},
//	 "nbformat": 4,
//	 "nbformat_minor": 5
//	}
//
// Each cell has a "cell_type" ("code", "markdown" or "raw"), an "id", a
// "metadata" object and a "source". Code cells also carry an
// "execution_count" (null before the cell ran) and a list of "outputs". An
// output is one of four kinds, told apart by "output_type":
//
//   - "stream": text a program wrote to "stdout" or "stderr" ("name", "text");
//   - "display_data": a MIME bundle ("data", "metadata") such as
//     {"image/png": "<base64>", "text/plain": "<Figure>"};
//   - "execute_result": like display_data, plus the "execution_count";
//   - "error": an exception ("ename", "evalue", "traceback").
//
// Multi-line text (a cell's source, stream text, textual MIME data) may be
// stored as one string or as a list of strings that are concatenated; this
// package accepts both and gives callers plain strings. [Write] produces
// nbformat 4.5 the way Jupyter does: keys sorted, one-space indentation, text
// split into lines, every cell with a unique id.
//
// [RenderHTML] turns an executed notebook into one standalone HTML page and
// [RenderIndex] a page that links several of them. Both are safe to open
// whatever the notebook and its data hold: each page declares
// [ContentSecurityPolicy] (no script, frame, form or fetch; images from
// data: only), notebook HTML and Markdown pass [SanitizeHTML], SVG is shown
// as an image, and everything else is escaped text. A page is a reader's
// view unless [RenderOptions].ShowCode is set: cells' outputs without their
// code, the setup cell left out, and the Jupyter Book cell tags honoured
// ([TagHideInput], [TagRemoveInput], [TagRemoveOutput], [TagRemoveCell],
// plus [TagSetup]); an image's text/plain entry is its alt text.
//
// Cells are numbered from 1 in error messages and in [Failure], counting
// every cell, markdown included, the way a reader counts them on screen.
package ipynb
