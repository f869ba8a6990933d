package content

import "syscall"

func init() { mkfifo = syscall.Mkfifo }
