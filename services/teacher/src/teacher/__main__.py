from teacher.entrypoints.main import main

main()
