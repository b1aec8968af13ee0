package site

import (
	"fmt"
	"strings"
)

// The dashboard's charts are inline SVG computed here and drawn by the
// "barchart" and "columnchart" templates: no script, no style attribute
// (the content security policy forbids both), colours from CSS classes.
// Each chart also carries its figures as a table for screen readers and
// for copying.

// svgBar is one bar with its geometry in the chart's viewBox.
type svgBar struct {
	Label      string
	Value      int
	Text       string // the value as shown, e.g. "42" or "38%"
	Class      string // CSS class giving the bar its colour
	X, Y, W, H float64
	// TextX, TextY place the value label; LabelX, LabelY the category label.
	TextX, TextY, LabelX, LabelY float64
	ShowLabel                    bool // column charts label only some columns
}

// svgChart is one SVG chart.
type svgChart struct {
	ID, Title, Desc string
	Width, Height   float64
	Bars            []svgBar
	// Column charts: the baseline and a top gridline with its value.
	BaseY, TopY float64
	TopText     string
	Empty       bool
}

// Horizontal bar charts: a label column, then the bar, then the value.
const (
	hbarLabelW = 180.0
	hbarBarW   = 300.0
	hbarRow    = 24.0
	hbarThick  = 16.0
)

// barChart draws one horizontal bar per category, longest = full width.
func barChart(id, title string, labels []string, values []int, classOf func(i int) string) svgChart {
	ch := svgChart{ID: id, Title: title, Width: hbarLabelW + hbarBarW + 60, Height: hbarRow*float64(len(values)) + 8}
	top := 0
	for _, v := range values {
		top = max(top, v)
	}
	ch.Empty = top == 0
	var parts []string
	for i, v := range values {
		y := 4 + hbarRow*float64(i)
		w := 0.0
		if top > 0 {
			w = hbarBarW * float64(v) / float64(top)
		}
		b := svgBar{Label: labels[i], Value: v, Text: fmt.Sprint(v), X: hbarLabelW, Y: y + (hbarRow-hbarThick)/2, W: w, H: hbarThick,
			TextX: hbarLabelW + w + 6, TextY: y + hbarRow/2 + 4, LabelX: hbarLabelW - 8, LabelY: y + hbarRow/2 + 4, ShowLabel: true}
		if classOf != nil {
			b.Class = classOf(i)
		}
		ch.Bars = append(ch.Bars, b)
		parts = append(parts, fmt.Sprintf("%s %d", labels[i], v))
	}
	ch.Desc = title + ": " + strings.Join(parts, ", ") + "."
	return ch
}

// Column charts: one column per slot.
const (
	colPlotH = 140.0
	colTop   = 16.0
	colLeft  = 36.0
	colLabel = 40.0
)

// columnChart draws one column per category against a scale of top (the
// largest value when top is 0); labelEvery picks which categories get
// an axis label (a new day, say).
func columnChart(id, title string, labels []string, values []int, top int, texts []string, labelled func(i int) bool) svgChart {
	n := max(len(values), 1)
	// About 860 units wide whatever the number of slots, so that the
	// text keeps its size when the chart is scaled to the page.
	colW := min(max((860-colLeft)/float64(n), 8), 40)
	ch := svgChart{ID: id, Title: title, Width: colLeft + colW*float64(n) + 8, Height: colTop + colPlotH + colLabel}
	ch.BaseY, ch.TopY = colTop+colPlotH, colTop
	if top == 0 {
		for _, v := range values {
			top = max(top, v)
		}
	}
	ch.Empty = top == 0
	ch.TopText = fmt.Sprint(top)
	var parts []string
	for i, v := range values {
		h := 0.0
		if top > 0 {
			h = colPlotH * float64(min(v, top)) / float64(top)
		}
		x := colLeft + colW*float64(i)
		b := svgBar{Label: labels[i], Value: v, Text: fmt.Sprint(v), X: x + 1, Y: ch.BaseY - h, W: colW - 2, H: h,
			LabelX: x + 1, LabelY: ch.BaseY + 14}
		if texts != nil {
			b.Text = texts[i]
		}
		b.ShowLabel = labelled == nil || labelled(i)
		ch.Bars = append(ch.Bars, b)
		parts = append(parts, labels[i]+" "+b.Text)
	}
	ch.Desc = title + ": " + strings.Join(parts, ", ") + "."
	return ch
}
