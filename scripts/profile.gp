# gnuplot -e "data='T.tsv'; marks='M.tsv'; out='P.svg'; title='...'" profile.gp
# The timeline of a recording (kvmexit-read --timeline --tsv): exits/s per
# top reason, stacked, one step per interval, with the milestones of M.tsv
# ("SECONDS<TAB>LABEL", on the same time axis) as dashed vertical lines.
set terminal svg size 1100,560 dynamic background rgb 'white' font 'sans,11'
set output out
# Reason names have underscores: no enhanced-text subscripts.
set termoption noenhanced
set datafile separator tab
set title title
set xlabel "seconds since the emulated host booted (its clock)"
set ylabel 'exits per second'
set key outside right top reverse Left
set style fill solid 0.85 noborder
set grid ytics
set format y '%.1s%c'
set y2range [0:1]
unset y2tics
stats data using 1 skip 1 nooutput
ncol = STATS_columns
# Column 1: interval start (seconds since boot, as the marks), 2: length, 3: total, 4..ncol: reasons, "other".
plot for [i = ncol:4:-1] data using 1:(sum [c = 4:i] column(c)) \
	with fillsteps title columnhead(i), \
	marks using 1:(1) axes x1y2 with impulses lc rgb 'black' dt 2 notitle, \
	marks using 1:(0.98):2 axes x1y2 with labels rotate by 90 right \
	offset -0.6,0 font 'sans,9' notitle
