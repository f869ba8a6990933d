package theme

// A compiled layout: the same escaped templates html/template runs, turned
// into Go closures once, when the theme is loaded.
//
// html/template escapes a layout by rewriting its parse trees: every action
// that prints gets its escapers appended ({{.Title}} becomes {{.Title |
// _html_template_htmlescaper}}). text/template then walks those trees for
// every page, looking fields and methods up by name and calling functions
// through reflect.Value.Call. On a site of thousands of pages that lookup,
// not the escaping, is most of a template's cost.
//
// The compiler walks the escaped trees once, knowing the static type of dot
// at every point (a layout runs with a *Page), and resolves each field to
// its index, each method and function to a direct call, and each escaper to
// our own implementation of it (escape.go). What it does not know how to do
// exactly as text/template would (maps, interfaces, break, print, content
// types other than HTML...) makes the whole layout uncompiled: it runs in
// html/template as before. At run time anything unusual (a nil pointer, an
// index out of range, a value of a type the escapers were not compiled for,
// a panic) stops the compiled run with errSlow, and Execute renders the page
// again with html/template, which gives the page, or the error message,
// exactly as it always did. Tests hold the two to the same bytes.

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"html/template"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"text/template/parse"
	"time"
)

// errSlow stops a compiled run: html/template must render this page.
var errSlow = errors.New("theme: page left to html/template")

// errUncompiled is returned by the compiler for a construct it leaves to
// html/template: what it is, and where (the file the template was parsed
// from, relative to layouts/, and the line; none when it has no place).
type errUncompiled struct {
	what string
	file string
	line int
}

func (e errUncompiled) Error() string { return "not compiled: " + e.what }

func uncompiled(format string, args ...any) error {
	return errUncompiled{what: fmt.Sprintf(format, args...)}
}

// at gives an errUncompiled without a place the place of n in tree.
func at(err error, tree *parse.Tree, n parse.Node) error {
	e, ok := err.(errUncompiled)
	if !ok || e.file != "" || tree == nil {
		return err
	}
	loc, _ := tree.ErrorContext(n) // "partials/head.html:3:14"
	e.file = tree.ParseName
	if rest, ok := strings.CutPrefix(loc, tree.ParseName+":"); ok {
		line, _, _ := strings.Cut(rest, ":")
		e.line, _ = strconv.Atoi(line)
	}
	return e
}

// A frame is the state of one compiled run.
type frame struct {
	out   *bytes.Buffer
	vars  []reflect.Value // variables of every template being run; $ first
	base  int             // where the current template's variables start
	depth int             // templates being run, one inside another
}

// maxDepth stops a compiled run of templates calling each other without
// end; html/template then reports it as an error.
const maxDepth = 1000

// stmt runs a node of a template.
type stmt func(f *frame, dot reflect.Value) error

// expr evaluates a pipeline, command or argument.
type expr struct {
	typ reflect.Type // static type; nil when it depends on the data
	val func(f *frame, dot reflect.Value) (reflect.Value, error)
	// str, when set, gives the value as a string without boxing it
	// (typ is string).
	str func(f *frame, dot reflect.Value) (string, error)
	// write, when set, prints the value (an escaper's output) straight
	// into the page.
	write func(f *frame, dot reflect.Value) error
}

// stringOf returns e's value as a string: e.typ must be string.
func (e expr) stringOf(f *frame, dot reflect.Value) (string, error) {
	if e.str != nil {
		return e.str(f, dot)
	}
	v, err := e.val(f, dot)
	if err != nil {
		return "", err
	}
	return v.String(), nil
}

// A program is one compiled template for one static type of dot.
type program struct {
	run   stmt
	nvars int // variable slots, $ included
}

// execute runs p with data as dot and $.
func (p *program) execute(out *bytes.Buffer, data reflect.Value) (err error) {
	f := frames.Get().(*frame)
	defer func() {
		f.out, f.vars, f.base, f.depth = nil, f.vars[:0], 0, 0
		frames.Put(f)
	}()
	f.out = out
	defer func() {
		if v := recover(); v != nil {
			err = errSlow
		}
	}()
	return f.call(p, data)
}

// call runs p with dot as its $ in a fresh set of variable slots.
func (f *frame) call(p *program, dot reflect.Value) error {
	if f.depth >= maxDepth {
		return errSlow
	}
	f.depth++
	base, n := f.base, len(f.vars)
	for range p.nvars {
		f.vars = append(f.vars, reflect.Value{})
	}
	f.vars[n] = dot
	f.base = n
	err := p.run(f, dot)
	clear(f.vars[n:])
	f.vars, f.base = f.vars[:n], base
	f.depth--
	return err
}

// frames keeps frames for reuse: their variable stacks have grown to what
// the layouts need.
var frames = sync.Pool{New: func() any { return new(frame) }}

// A compiler compiles the templates of one escaped layout.
type compiler struct {
	set   *template.Template
	funcs template.FuncMap
	progs map[progKey]*program
	tree  *parse.Tree // of the template being compiled, for errUncompiled's place

	// Variables of the template being compiled: declared in order, looked
	// up from the last (an inner $x hides an outer one).
	vars  []variable
	nvars int
}

type progKey struct {
	name string
	dot  reflect.Type
}

type variable struct {
	name string
	slot int
	typ  reflect.Type
}

// compileLayout compiles the layout named name in set (escaped already) for
// a *Page. It returns an errUncompiled when the layout needs html/template.
func compileLayout(set *template.Template, name string, funcs template.FuncMap) (*program, error) {
	c := &compiler{set: set, funcs: funcs, progs: map[progKey]*program{}}
	return c.template(name, reflect.TypeFor[*Page]())
}

// template compiles the template name for dot of type typ, once.
func (c *compiler) template(name string, typ reflect.Type) (*program, error) {
	key := progKey{name, typ}
	if p, ok := c.progs[key]; ok {
		return p, nil
	}
	t := c.set.Lookup(name)
	if t == nil || t.Tree == nil || t.Tree.Root == nil {
		return nil, uncompiled("no template %q", name)
	}
	p := &program{}
	c.progs[key] = p // a template may call itself
	outer, outerN, outerTree := c.vars, c.nvars, c.tree
	c.vars, c.nvars, c.tree = []variable{{name: "$", slot: 0, typ: typ}}, 1, t.Tree
	run, err := c.list(t.Tree.Root, typ)
	p.run, p.nvars = run, c.nvars
	c.vars, c.nvars, c.tree = outer, outerN, outerTree
	if err != nil {
		return nil, err
	}
	return p, nil
}

// declare adds a variable of type typ and returns its slot.
func (c *compiler) declare(name string, typ reflect.Type) int {
	slot := c.nvars
	c.nvars++
	c.vars = append(c.vars, variable{name, slot, typ})
	return slot
}

func (c *compiler) lookupVar(name string) (variable, error) {
	for i := len(c.vars) - 1; i >= 0; i-- {
		if c.vars[i].name == name {
			return c.vars[i], nil
		}
	}
	return variable{}, uncompiled("undefined variable %s", name)
}

func (c *compiler) list(l *parse.ListNode, dot reflect.Type) (stmt, error) {
	if l == nil {
		return func(*frame, reflect.Value) error { return nil }, nil
	}
	var stmts []stmt
	for _, n := range l.Nodes {
		s, err := c.node(n, dot)
		if err != nil {
			return nil, at(err, c.tree, n)
		}
		stmts = append(stmts, s)
	}
	switch len(stmts) {
	case 0:
		return func(*frame, reflect.Value) error { return nil }, nil
	case 1:
		return stmts[0], nil
	}
	return func(f *frame, dot reflect.Value) error {
		for _, s := range stmts {
			if err := s(f, dot); err != nil {
				return err
			}
		}
		return nil
	}, nil
}

// block compiles l in a scope of its own: variables declared in it end
// with it.
func (c *compiler) block(l *parse.ListNode, dot reflect.Type) (stmt, error) {
	mark := len(c.vars)
	s, err := c.list(l, dot)
	c.vars = c.vars[:mark]
	return s, err
}

func (c *compiler) node(n parse.Node, dot reflect.Type) (stmt, error) {
	switch n := n.(type) {
	case *parse.TextNode:
		text := n.Text
		return func(f *frame, _ reflect.Value) error {
			f.out.Write(text)
			return nil
		}, nil
	case *parse.ActionNode:
		return c.action(n.Pipe, dot)
	case *parse.IfNode:
		return c.ifWith(&n.BranchNode, dot, false)
	case *parse.WithNode:
		return c.ifWith(&n.BranchNode, dot, true)
	case *parse.RangeNode:
		return c.rangeNode(n, dot)
	case *parse.TemplateNode:
		return c.templateNode(n, dot)
	case *parse.ListNode:
		return c.block(n, dot)
	}
	return nil, uncompiled("node %v", n)
}

// action prints a pipeline's value or assigns it to variables.
func (c *compiler) action(pipe *parse.PipeNode, dot reflect.Type) (stmt, error) {
	e, err := c.pipe(pipe, dot)
	if err != nil {
		return nil, err
	}
	if len(pipe.Decl) > 0 {
		return c.assign(pipe, e)
	}
	switch {
	case e.write != nil:
		return e.write, nil
	case e.typ == stringType:
		// Only an escaper's output is ever printed in an escaped layout.
		return func(f *frame, dot reflect.Value) error {
			s, err := e.stringOf(f, dot)
			f.out.WriteString(s)
			return err
		}, nil
	}
	return nil, uncompiled("printing a %v", e.typ)
}

// assign compiles {{$x := pipeline}} and {{$x = pipeline}}.
func (c *compiler) assign(pipe *parse.PipeNode, e expr) (stmt, error) {
	if len(pipe.Decl) != 1 {
		return nil, uncompiled("%d variables in a declaration", len(pipe.Decl))
	}
	name := pipe.Decl[0].Ident[0]
	var slot int
	if pipe.IsAssign {
		v, err := c.lookupVar(name)
		if err != nil {
			return nil, err
		}
		if v.typ != e.typ {
			return nil, uncompiled("assigning a %v to %s, a %v", e.typ, name, v.typ)
		}
		slot = v.slot
	} else {
		// The pipeline is evaluated before the variable exists.
		slot = c.declare(name, e.typ)
	}
	return func(f *frame, dot reflect.Value) error {
		v, err := e.val(f, dot)
		if err != nil {
			return err
		}
		f.vars[f.base+slot] = v
		return nil
	}, nil
}

func (c *compiler) ifWith(b *parse.BranchNode, dot reflect.Type, with bool) (stmt, error) {
	if len(b.Pipe.Decl) > 0 {
		return nil, uncompiled("declaration in if or with")
	}
	e, err := c.pipe(b.Pipe, dot)
	if err != nil {
		return nil, err
	}
	inner := dot
	if with {
		if e.typ == nil {
			return nil, uncompiled("with over a value of unknown type")
		}
		inner = e.typ
	}
	then, otherwise, err := c.branches(b.List, inner, b.ElseList, dot)
	if err != nil {
		return nil, err
	}
	return func(f *frame, dot reflect.Value) error {
		v, err := e.val(f, dot)
		if err != nil {
			return err
		}
		if truth(v) {
			if with {
				return then(f, v)
			}
			return then(f, dot)
		}
		return otherwise(f, dot)
	}, nil
}

// branches compiles the two lists of an if, with or range: list with dot
// of type inner, elseList with dot.
func (c *compiler) branches(list *parse.ListNode, inner reflect.Type, elseList *parse.ListNode, dot reflect.Type) (stmt, stmt, error) {
	then, err := c.block(list, inner)
	if err != nil {
		return nil, nil, err
	}
	otherwise, err := c.block(elseList, dot)
	if err != nil {
		return nil, nil, err
	}
	return then, otherwise, nil
}

func (c *compiler) rangeNode(r *parse.RangeNode, dot reflect.Type) (stmt, error) {
	mark := len(c.vars)
	defer func() { c.vars = c.vars[:mark] }()
	e, err := c.pipe(r.Pipe, dot)
	if err != nil {
		return nil, err
	}
	if e.typ == nil || e.typ.Kind() != reflect.Slice {
		return nil, uncompiled("range over %v", e.typ)
	}
	if r.Pipe.IsAssign {
		return nil, uncompiled("range with assignment")
	}
	elem := e.typ.Elem()
	keySlot, elemSlot := -1, -1
	switch len(r.Pipe.Decl) {
	case 0:
	case 1:
		elemSlot = c.declare(r.Pipe.Decl[0].Ident[0], elem)
	case 2:
		keySlot = c.declare(r.Pipe.Decl[0].Ident[0], intType)
		elemSlot = c.declare(r.Pipe.Decl[1].Ident[0], elem)
	default:
		return nil, uncompiled("range with %d variables", len(r.Pipe.Decl))
	}
	body, otherwise, err := c.branches(r.List, elem, r.ElseList, dot)
	if err != nil {
		return nil, err
	}
	return func(f *frame, dot reflect.Value) error {
		v, err := e.val(f, dot)
		if err != nil {
			return err
		}
		n := v.Len()
		if n == 0 {
			return otherwise(f, dot)
		}
		for i := range n {
			x := v.Index(i)
			if keySlot >= 0 {
				f.vars[f.base+keySlot] = reflect.ValueOf(i)
			}
			if elemSlot >= 0 {
				f.vars[f.base+elemSlot] = x
			}
			if err := body(f, x); err != nil {
				return err
			}
		}
		return nil
	}, nil
}

func (c *compiler) templateNode(t *parse.TemplateNode, dot reflect.Type) (stmt, error) {
	if t.Pipe == nil {
		return nil, uncompiled("template %q without data", t.Name)
	}
	e, err := c.pipe(t.Pipe, dot)
	if err != nil {
		return nil, err
	}
	if e.typ == nil {
		return nil, uncompiled("template %q with data of unknown type", t.Name)
	}
	p, err := c.template(t.Name, e.typ)
	if err != nil {
		return nil, err
	}
	return func(f *frame, dot reflect.Value) error {
		v, err := e.val(f, dot)
		if err != nil {
			return err
		}
		return f.call(p, v)
	}, nil
}

// pipe compiles a pipeline: each command after the first gets the value of
// the one before as its last argument.
func (c *compiler) pipe(p *parse.PipeNode, dot reflect.Type) (expr, error) {
	if p == nil || len(p.Cmds) == 0 {
		return expr{}, uncompiled("empty pipeline")
	}
	var final *expr
	var e expr
	for _, cmd := range p.Cmds {
		var err error
		if e, err = c.command(cmd, dot, final); err != nil {
			return expr{}, err
		}
		prev := e
		final = &prev
	}
	return e, nil
}

func (c *compiler) command(cmd *parse.CommandNode, dot reflect.Type, final *expr) (expr, error) {
	// The arguments after the first word, and the value piped in last.
	var ins []expr
	for _, a := range cmd.Args[1:] {
		e, err := c.arg(a, dot)
		if err != nil {
			return expr{}, err
		}
		ins = append(ins, e)
	}
	if final != nil {
		ins = append(ins, *final)
	}
	if n, ok := cmd.Args[0].(*parse.IdentifierNode); ok {
		return c.function(n.Ident, ins)
	}
	return c.operand(cmd.Args[0], dot, ins)
}

// arg compiles an argument that is not a function call's first word.
func (c *compiler) arg(n parse.Node, dot reflect.Type) (expr, error) {
	return c.operand(n, dot, nil)
}

// operand compiles a command's first word when it is not a function: a
// field or method chain, which takes the arguments ins (a method's), or a
// value, which takes none.
func (c *compiler) operand(n parse.Node, dot reflect.Type, ins []expr) (expr, error) {
	switch n := n.(type) {
	case *parse.FieldNode:
		return c.chain(dotExpr(dot), n.Ident, ins)
	case *parse.ChainNode:
		recv, err := c.arg(n.Node, dot)
		if err != nil {
			return expr{}, err
		}
		return c.chain(recv, n.Field, ins)
	case *parse.VariableNode:
		if len(n.Ident) > 1 {
			v, err := c.variable(n.Ident[0])
			if err != nil {
				return expr{}, err
			}
			return c.chain(v, n.Ident[1:], ins)
		}
	}
	if len(ins) > 0 {
		return expr{}, uncompiled("arguments to %s, not a function", n)
	}
	switch n := n.(type) {
	case *parse.VariableNode:
		return c.variable(n.Ident[0])
	case *parse.DotNode:
		return dotExpr(dot), nil
	case *parse.PipeNode:
		if len(n.Decl) > 0 {
			return expr{}, uncompiled("declaration in a parenthesized pipeline")
		}
		return c.pipe(n, dot)
	case *parse.StringNode:
		return constant(reflect.ValueOf(n.Text)), nil
	case *parse.BoolNode:
		return constant(reflect.ValueOf(n.True)), nil
	case *parse.NumberNode:
		// As text/template types an untyped number: an int when it is one.
		if n.IsInt && !strings.ContainsAny(n.Text, ".eEpP") && int64(int(n.Int64)) == n.Int64 {
			return constant(reflect.ValueOf(int(n.Int64))), nil
		}
	}
	return expr{}, uncompiled("operand %s", n)
}

func dotExpr(typ reflect.Type) expr {
	e := expr{typ: typ, val: func(_ *frame, dot reflect.Value) (reflect.Value, error) { return dot, nil }}
	if typ == stringType {
		e.str = func(_ *frame, dot reflect.Value) (string, error) { return dot.String(), nil }
	}
	return e
}

func constant(v reflect.Value) expr {
	e := expr{typ: v.Type(), val: func(*frame, reflect.Value) (reflect.Value, error) { return v, nil }}
	if v.Type() == stringType {
		s := v.String()
		e.str = func(*frame, reflect.Value) (string, error) { return s, nil }
	}
	return e
}

func (c *compiler) variable(name string) (expr, error) {
	v, err := c.lookupVar(name)
	if err != nil {
		return expr{}, err
	}
	slot := v.slot
	e := expr{typ: v.typ, val: func(f *frame, _ reflect.Value) (reflect.Value, error) { return f.vars[f.base+slot], nil }}
	if v.typ == stringType {
		e.str = func(f *frame, _ reflect.Value) (string, error) { return f.vars[f.base+slot].String(), nil }
	}
	return e, nil
}

// chain compiles .A.B.C on recv; the arguments ins go to the last one.
func (c *compiler) chain(recv expr, names []string, ins []expr) (expr, error) {
	e := recv
	for i, name := range names {
		var err error
		if i < len(names)-1 {
			e, err = c.field(e, name, nil)
		} else {
			e, err = c.field(e, name, ins)
		}
		if err != nil {
			return expr{}, err
		}
	}
	return e, nil
}

// field compiles recv.name: a method call or a struct field, as
// text/template's evalField looks them up.
func (c *compiler) field(recv expr, name string, ins []expr) (expr, error) {
	t := recv.typ
	if t == nil || t.Kind() == reflect.Interface {
		return expr{}, uncompiled("field %s of a value of unknown type", name)
	}
	if m, ok := t.MethodByName(name); ok {
		return method(recv, m, ins)
	}
	if t.Kind() != reflect.Pointer {
		if _, ok := reflect.PointerTo(t).MethodByName(name); ok {
			return expr{}, uncompiled("method %s with a pointer receiver", name)
		}
	}
	if len(ins) > 0 {
		return expr{}, uncompiled("arguments to field %s", name)
	}
	st, ptr := t, false
	if t.Kind() == reflect.Pointer {
		st, ptr = t.Elem(), true
	}
	if st.Kind() != reflect.Struct {
		return expr{}, uncompiled("field %s of a %v", name, t)
	}
	sf, ok := st.FieldByName(name)
	if !ok || !sf.IsExported() || len(sf.Index) != 1 {
		return expr{}, uncompiled("field %s of %v", name, t)
	}
	i := sf.Index[0]
	get := recv.val
	e := expr{typ: sf.Type}
	e.val = func(f *frame, dot reflect.Value) (reflect.Value, error) {
		v, err := get(f, dot)
		if err != nil {
			return v, err
		}
		if ptr {
			if v.IsNil() {
				return v, errSlow
			}
			v = v.Elem()
		}
		return v.Field(i), nil
	}
	return e, nil
}

// method compiles a call of method m on recv.
func method(recv expr, m reflect.Method, ins []expr) (expr, error) {
	if err := checkCall(m.Type, 1, ins); err != nil {
		return expr{}, err
	}
	get := recv.val
	this := func(f *frame, dot reflect.Value) (reflect.Value, error) {
		v, err := get(f, dot)
		if err == nil && v.Kind() == reflect.Pointer && v.IsNil() {
			err = errSlow
		}
		return v, err
	}
	return call(m.Func, append([]expr{{typ: recv.typ, val: this}}, ins...)), nil
}

// checkCall checks that a function of type ft can be called, from its
// skip-th parameter on, with ins, without the conversions text/template
// would make.
func checkCall(ft reflect.Type, skip int, ins []expr) error {
	if ft.IsVariadic() {
		return uncompiled("variadic %v", ft)
	}
	if len(ins) != ft.NumIn()-skip {
		return uncompiled("%d arguments for %v", len(ins), ft)
	}
	for i, e := range ins {
		want := ft.In(skip + i)
		if e.typ == nil || !e.typ.AssignableTo(want) {
			return uncompiled("a %v for a %v parameter", e.typ, want)
		}
	}
	switch {
	case ft.NumOut() == 1:
	case ft.NumOut() == 2 && ft.Out(1) == errorType:
	default:
		return uncompiled("%v", ft)
	}
	return nil
}

// call compiles a call of fn (a reflect.Value of a function) with ins, the
// receiver first for a method. The functions and methods layouts use most
// are called directly, anything else through reflection.
func call(fn reflect.Value, ins []expr) expr {
	out := fn.Type().Out(0)
	e := expr{typ: out}
	switch f := fn.Interface().(type) {
	case func(string, string) template.HTML: // phrases .Lang.Key .Title
		// Called directly, as the cases below: no reflect.Call, nor a
		// slice for it, for each headline of a page. checkCall has made
		// both arguments strings by their static type.
		e.val = func(fr *frame, dot reflect.Value) (reflect.Value, error) {
			a, err := ins[0].stringOf(fr, dot)
			if err != nil {
				return reflect.Value{}, err
			}
			b, err := ins[1].stringOf(fr, dot)
			if err != nil {
				return reflect.Value{}, err
			}
			return reflect.ValueOf(f(a, b)), nil
		}
	case func(*Strings, string) string: // .T.Get "key"
		e.str = func(fr *frame, dot reflect.Value) (string, error) {
			s, err := ptrArg[Strings](fr, dot, ins[0])
			if err != nil {
				return "", err
			}
			k, err := ins[1].stringOf(fr, dot)
			if err != nil {
				return "", err
			}
			return f(s, k), nil
		}
	case func(time.Time) string: // iso .Date
		e.str = func(fr *frame, dot reflect.Value) (string, error) {
			t, err := timeArg(fr, dot, ins[0])
			if err != nil {
				return "", err
			}
			return f(t), nil
		}
	case func(time.Time) bool: // .Updated.IsZero
		e.val = func(fr *frame, dot reflect.Value) (reflect.Value, error) {
			t, err := timeArg(fr, dot, ins[0])
			if err != nil {
				return reflect.Value{}, err
			}
			return boolValue(f(t)), nil
		}
	case func(string) *Strings: // i18n .Lang.Key
		e.val = func(fr *frame, dot reflect.Value) (reflect.Value, error) {
			k, err := ins[0].stringOf(fr, dot)
			if err != nil {
				return reflect.Value{}, err
			}
			return reflect.ValueOf(f(k)), nil
		}
	default:
		e.val = func(fr *frame, dot reflect.Value) (reflect.Value, error) {
			in := make([]reflect.Value, len(ins))
			for i, a := range ins {
				v, err := a.val(fr, dot)
				if err != nil {
					return v, err
				}
				in[i] = v
			}
			res := fn.Call(in)
			if len(res) == 2 && !res[1].IsNil() {
				return reflect.Value{}, errSlow
			}
			return res[0], nil
		}
	}
	if e.val == nil {
		str := e.str
		e.val = func(fr *frame, dot reflect.Value) (reflect.Value, error) {
			s, err := str(fr, dot)
			return reflect.ValueOf(s), err
		}
	}
	return e
}

// ptrArg evaluates e, a non-nil *T.
func ptrArg[T any](f *frame, dot reflect.Value, e expr) (*T, error) {
	v, err := e.val(f, dot)
	if err != nil {
		return nil, err
	}
	p, ok := v.Interface().(*T)
	if !ok || p == nil {
		return nil, errSlow
	}
	return p, nil
}

// timeArg evaluates e, a time.Time, without copying it to the heap when it
// can be read in place.
func timeArg(f *frame, dot reflect.Value, e expr) (time.Time, error) {
	v, err := e.val(f, dot)
	if err != nil {
		return time.Time{}, err
	}
	if v.Type() != timeType {
		return time.Time{}, errSlow
	}
	if v.CanAddr() {
		return *v.Addr().Interface().(*time.Time), nil
	}
	return v.Interface().(time.Time), nil
}

var (
	stringType = reflect.TypeFor[string]()
	htmlType   = reflect.TypeFor[template.HTML]()
	intType    = reflect.TypeFor[int]()
	boolType   = reflect.TypeFor[bool]()
	timeType   = reflect.TypeFor[time.Time]()
	errorType  = reflect.TypeFor[error]()
	valueTrue  = reflect.ValueOf(true)
	valueFalse = reflect.ValueOf(false)
)

func boolValue(b bool) reflect.Value {
	if b {
		return valueTrue
	}
	return valueFalse
}

// truth is text/template's idea of true: not the zero value, not empty.
func truth(v reflect.Value) bool {
	if v.IsValid() && v.Kind() == reflect.Interface {
		v = v.Elem()
	}
	if !v.IsValid() {
		return false
	}
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() > 0
	case reflect.Bool:
		return v.Bool()
	case reflect.Complex64, reflect.Complex128:
		return v.Complex() != 0
	case reflect.Chan, reflect.Func, reflect.Pointer, reflect.UnsafePointer, reflect.Interface:
		return !v.IsNil()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() != 0
	case reflect.Float32, reflect.Float64:
		return v.Float() != 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return v.Uint() != 0
	case reflect.Struct:
		return true
	}
	return false
}

// function compiles a call of a function by name: an escaper html/template
// added, a builtin, or one of the theme's functions.
func (c *compiler) function(name string, ins []expr) (expr, error) {
	if esc, ok := escapers[name]; ok {
		if len(ins) != 1 {
			return expr{}, uncompiled("%s with %d arguments", name, len(ins))
		}
		return escaperExpr(esc, ins[0]), nil
	}
	switch name {
	case "and", "or":
		return andOr(name == "or", ins)
	case "not":
		if len(ins) != 1 {
			break
		}
		a := ins[0]
		return expr{typ: boolType, val: func(f *frame, dot reflect.Value) (reflect.Value, error) {
			v, err := a.val(f, dot)
			return boolValue(!truth(v)), err
		}}, nil
	case "eq", "ne", "lt", "le", "gt", "ge":
		if len(ins) != 2 {
			break
		}
		return compare(name, ins[0], ins[1]), nil
	case "len":
		if len(ins) != 1 {
			break
		}
		return length(ins[0]), nil
	case "index":
		if len(ins) != 2 || ins[0].typ == nil || ins[0].typ.Kind() != reflect.Slice {
			break
		}
		return index(ins[0], ins[1]), nil
	case "slice":
		if len(ins) != 2 || ins[0].typ == nil || ins[0].typ.Kind() != reflect.Slice {
			break
		}
		return slice(ins[0], ins[1]), nil
	default:
		fn, ok := c.funcs[name]
		if !ok {
			// A builtin the compiler leaves to text/template: print,
			// printf, println, html, js, urlquery, call.
			return expr{}, uncompiled("%s", name)
		}
		v := reflect.ValueOf(fn)
		if err := checkCall(v.Type(), 0, ins); err != nil {
			return expr{}, err
		}
		return call(v, ins), nil
	}
	return expr{}, uncompiled("%s with %d arguments", name, len(ins))
}

// andOr compiles and/or: the first argument that decides, else the last.
func andOr(or bool, ins []expr) (expr, error) {
	if len(ins) == 0 {
		return expr{}, uncompiled("and/or without arguments")
	}
	typ := ins[0].typ
	for _, a := range ins[1:] {
		if a.typ != typ {
			typ = nil
		}
	}
	return expr{typ: typ, val: func(f *frame, dot reflect.Value) (reflect.Value, error) {
		var v reflect.Value
		for i, a := range ins {
			var err error
			if v, err = a.val(f, dot); err != nil {
				return v, err
			}
			if i < len(ins)-1 && truth(v) == or {
				return v, nil
			}
		}
		return v, nil
	}}, nil
}

// basic is the kind of a value for comparisons; 0 when it has none here.
func basic(v reflect.Value) reflect.Kind {
	if v.Kind() == reflect.Interface && !v.IsNil() {
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return reflect.Int
	case reflect.String:
		return reflect.String
	case reflect.Bool:
		return reflect.Bool
	}
	return 0
}

func compare(op string, a, b expr) expr {
	return expr{typ: boolType, val: func(f *frame, dot reflect.Value) (reflect.Value, error) {
		x, err := a.val(f, dot)
		if err != nil {
			return x, err
		}
		y, err := b.val(f, dot)
		if err != nil {
			return y, err
		}
		if x.Kind() == reflect.Interface {
			x = x.Elem()
		}
		if y.Kind() == reflect.Interface {
			y = y.Elem()
		}
		k := basic(x)
		if k == 0 || k != basic(y) {
			return reflect.Value{}, errSlow
		}
		var c int // -1, 0, 1
		switch k {
		case reflect.Int:
			c = cmp.Compare(x.Int(), y.Int())
		case reflect.String:
			c = cmp.Compare(x.String(), y.String())
		case reflect.Bool:
			if op != "eq" && op != "ne" {
				return reflect.Value{}, errSlow
			}
			if x.Bool() != y.Bool() {
				c = 1
			}
		}
		var r bool
		switch op {
		case "eq":
			r = c == 0
		case "ne":
			r = c != 0
		case "lt":
			r = c < 0
		case "le":
			r = c <= 0
		case "gt":
			r = c > 0
		case "ge":
			r = c >= 0
		}
		return boolValue(r), nil
	}}
}

// deref follows pointers and interfaces as text/template's indirect does;
// a nil one stops the run.
func deref(v reflect.Value) (reflect.Value, error) {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return v, errSlow
		}
		v = v.Elem()
	}
	return v, nil
}

func length(a expr) expr {
	return expr{typ: intType, val: func(f *frame, dot reflect.Value) (reflect.Value, error) {
		v, err := a.val(f, dot)
		if err != nil {
			return v, err
		}
		if v, err = deref(v); err != nil {
			return v, err
		}
		switch v.Kind() {
		case reflect.Array, reflect.Chan, reflect.Map, reflect.Slice, reflect.String:
			return reflect.ValueOf(v.Len()), nil
		}
		return reflect.Value{}, errSlow
	}}
}

// intArg evaluates e as an index no larger than max.
func intArg(f *frame, dot reflect.Value, e expr, max int) (int, error) {
	v, err := e.val(f, dot)
	if err != nil {
		return 0, err
	}
	if basic(v) != reflect.Int {
		return 0, errSlow
	}
	if v.Kind() == reflect.Interface {
		v = v.Elem()
	}
	x := v.Int()
	if x < 0 || x > int64(max) {
		return 0, errSlow
	}
	return int(x), nil
}

func index(a, i expr) expr {
	return expr{typ: a.typ.Elem(), val: func(f *frame, dot reflect.Value) (reflect.Value, error) {
		v, err := a.val(f, dot)
		if err != nil {
			return v, err
		}
		x, err := intArg(f, dot, i, v.Len()-1)
		if err != nil {
			return reflect.Value{}, err
		}
		return v.Index(x), nil
	}}
}

func slice(a, i expr) expr {
	return expr{typ: a.typ, val: func(f *frame, dot reflect.Value) (reflect.Value, error) {
		v, err := a.val(f, dot)
		if err != nil {
			return v, err
		}
		x, err := intArg(f, dot, i, v.Len())
		if err != nil {
			return reflect.Value{}, err
		}
		return v.Slice(x, v.Len()), nil
	}}
}

// printed returns v as html/template's escapers see it: its text, and
// whether it is already HTML. Values of other types stop the run.
func printed(v reflect.Value) (s string, isHTML bool, err error) {
	if v.Kind() == reflect.Interface && !v.IsNil() {
		v = v.Elem()
	}
	if !v.IsValid() {
		return "", false, errSlow
	}
	switch v.Type() {
	case stringType:
		return v.String(), false, nil
	case htmlType:
		return v.String(), true, nil
	case intType:
		return strconv.FormatInt(v.Int(), 10), false, nil
	case boolType:
		return strconv.FormatBool(v.Bool()), false, nil
	}
	return "", false, errSlow
}
