# svg.gp - loaded last by every chart: the chart again, as SVG.
set terminal svg size 1000,600 font ',10' noenhanced dynamic background rgb 'white'
set output 'chart.svg'
replot
unset output
