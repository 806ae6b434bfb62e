# transcripts.awk: the "$ ptvm ..." transcripts of a Markdown file (README.md)
# or of an mdoc page's literal displays.  For each command N writes
# DIR/N.cmd (the command line, "ptvm" first) and DIR/N.out (the output the
# file shows, trailing blank lines removed), and DIR/N.line (its line).
# Lines starting "# ptvm" (a root prompt) are written as DIR/N.cmd with
# DIR/N.root, their outputs as for "$".  Usage:
#	awk -v dir=DIR -f transcripts.awk FILE
function flush() {
	if (n > 0 && cur != "") {
		while (nout > 0 && out[nout] == "")
			nout--
		f = dir "/" n ".out"
		printf "" > f
		for (i = 1; i <= nout; i++)
			print out[i] > f
		close(f)
	}
	cur = ""
	nout = 0
}
BEGIN { n = 0; inblk = 0; cur = "" }
/^```/ || /^\.Bd -literal/ || /^\.Ed/ {
	if (inblk)
		flush()
	inblk = !inblk
	if ($0 ~ /^\.Ed/)
		inblk = 0
	next
}
inblk && (/^\$ ptvm( |$)/ || /^# ptvm( |$)/) {
	flush()
	n++
	cur = substr($0, 3)
	f = dir "/" n ".cmd"
	print cur > f
	close(f)
	print NR > (dir "/" n ".line")
	close(dir "/" n ".line")
	if ($0 ~ /^#/) {
		print "" > (dir "/" n ".root")
		close(dir "/" n ".root")
	}
	next
}
inblk && cur != "" { out[++nout] = $0 }
END { if (inblk) flush(); print n > (dir "/count") }
