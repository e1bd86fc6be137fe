from studyterm.cli import main

main()
